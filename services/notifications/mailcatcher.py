"""A local mail catcher: an SMTP server that keeps every message as a .eml file.

python -m services.notifications.mailcatcher      # listens on 127.0.0.1:1025

Messages land in `$DATA_DIR/mail/` (var/mail/ in a checkout), one file per message, named
by the time it arrived; open them with any mail program, or read them as text. Nothing is
ever delivered anywhere else.
"""

from __future__ import annotations

import argparse
import email
import logging
import os
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from services.common.logs import configure_logging
from services.common.settings import CommonSettings

log = logging.getLogger(__name__)


@dataclass
class Caught:
    """A message as the catcher accepted it."""

    to: list[str]
    message: Message
    accepted_at: float  # time.time() when the server answered 250 to its data


@dataclass
class MailCatcher:
    """The SMTP handler: keeps each message (in memory and, given a folder, as a file).

    `refuse` holds addresses answered 550 at RCPT, for tests of a permanent refusal.
    """

    folder: Path | None = None
    keep: bool = True
    refuse: set[str] = field(default_factory=set)
    caught: list[Caught] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, _session: Session, envelope: Envelope, address: str, _options: list
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, _server: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        accepted_at = time.time()
        raw = envelope.original_content or envelope.content
        if self.folder is not None:
            self._write(raw, accepted_at)
        if self.keep:
            message = email.message_from_bytes(raw, policy=default_policy)
            with self._lock:
                self.caught.append(Caught(list(envelope.rcpt_tos), message, accepted_at))
        return "250 Message accepted"

    def _write(self, raw: bytes, accepted_at: float) -> None:
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(accepted_at))
        message = email.message_from_bytes(raw, policy=default_policy)
        subject = re.sub(r"[^A-Za-z0-9]+", "-", str(message.get("Subject", "")))[:60].strip("-")
        name = f"{stamp}-{int(accepted_at * 1e6) % 1_000_000:06d}-{subject or 'mail'}.eml"
        (self.folder / name).write_bytes(raw)

    def messages(self) -> list[Caught]:
        with self._lock:
            return list(self.caught)


def start(catcher: MailCatcher, *, host: str = "127.0.0.1", port: int = 1025) -> Controller:
    """Serve `catcher` on a thread; `controller.stop()` ends it."""
    controller = Controller(catcher, hostname=host, port=port, data_size_limit=10 * 1024 * 1024)
    controller.start()
    return controller


def main(argv: list[str] | None = None) -> None:
    settings = CommonSettings()
    parser = argparse.ArgumentParser(prog="mailcatcher", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("MAILCATCHER_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("MAILCATCHER_PORT", "1025")))
    parser.add_argument("--folder", type=Path, default=settings.data_dir / "mail")
    args = parser.parse_args(argv)
    configure_logging("mailcatcher", settings.log_level)
    controller = start(MailCatcher(folder=args.folder, keep=False), host=args.host, port=args.port)
    log.info("mail catcher listening", extra={"port": args.port, "folder": str(args.folder)})
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
