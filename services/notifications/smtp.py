"""The SMTP adapter: one kept connection to the server `SMTP_URL` names.

smtp://host:port                 plain (a local catcher, a relay on the same network)
smtp+starttls://user:pw@host:587 STARTTLS, then log in where the URL carries credentials
smtps://user:pw@host:465         TLS from the first byte

Each send says how it went: accepted, put off (4xx, or the server could not be reached:
try again later), or refused for good (5xx for this recipient).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import Message
from urllib.parse import unquote, urlsplit

from services.notifications.domain import is_permanent

DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class InvalidSmtpUrl(ValueError):
    pass


@dataclass(frozen=True)
class SmtpTarget:
    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise InvalidSmtpUrl(
                f"SMTP_URL must look like smtp://host:port, smtp+starttls:// or smtps://, "
                f"not {url!r}"
            )
        return cls(
            scheme=parts.scheme,
            host=parts.hostname,
            port=parts.port or DEFAULT_PORTS[parts.scheme],
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    # For a mail not accepted: whether trying again cannot help (a 5xx for the recipient).
    permanent: bool = False
    code: int | None = None
    error: str = ""
    # The server could not be reached or dropped us: the rest of the batch waits too.
    unavailable: bool = False


ACCEPTED = Outcome(accepted=True)


class SmtpTransport:
    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.target = SmtpTarget.parse(url)
        self.timeout = timeout
        self._connection: smtplib.SMTP | None = None

    def send(self, message: Message, *, sender: str, to: str) -> Outcome:
        try:
            connection = self._connect()
        except (smtplib.SMTPException, OSError) as error:
            # Whatever fails before a mail is offered (the connection, TLS, the login) is
            # the server's or our configuration's fault, never the recipient's: try later.
            self.close()
            return Outcome(accepted=False, unavailable=True, error=repr(error)[:500])
        try:
            connection.send_message(message, from_addr=sender, to_addrs=[to])
            return ACCEPTED
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            return _refusal(code, reply)
        except smtplib.SMTPSenderRefused as error:
            # Our own sender address refused is no fault of the recipient's: keep trying.
            self.close()
            return Outcome(accepted=False, code=error.smtp_code, error=_text(error.smtp_error))
        except smtplib.SMTPResponseException as error:
            self.close()
            return _refusal(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            return Outcome(accepted=False, unavailable=True, error=repr(error)[:500])

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        target = self.target
        if target.scheme == "smtps":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                target.host,
                target.port,
                timeout=self.timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = smtplib.SMTP(target.host, target.port, timeout=self.timeout)
            if target.scheme == "smtp+starttls":
                connection.starttls(context=ssl.create_default_context())
        self._connection = connection  # closed by close() if the login below fails
        if target.username:
            connection.login(target.username, target.password or "")
        return connection


def _refusal(code: int, reply: bytes | str) -> Outcome:
    return Outcome(accepted=False, permanent=is_permanent(code), code=code, error=_text(reply))


def _text(reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return reply[:500]
