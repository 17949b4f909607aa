"""The sender: claims due mails, sends them through SMTP, records how each went.

A claim is a lease (`claimed_until`) written in a short transaction before any mail goes
out, so two workers never send one mail: on PostgreSQL the claiming SELECT skips rows
another sender has locked (`FOR UPDATE SKIP LOCKED`); on SQLite the claiming transaction
holds the file's write lock. A sender that dies with a claim leaves the mail to whoever
comes after the lease. The results of a batch are written in one transaction after it.

The SMTP server's acceptance and the row's "sent" are two systems and cannot commit
together: a sender that dies after the server accepted a mail and before its batch is
marked leaves that mail to be sent again once the lease runs out. It then goes out with
the same Message-ID, which most mail clients show once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, parseaddr
from typing import Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import as_utc, utcnow
from services.notifications.db import Mail, Person, RefusedAddress
from services.notifications.domain import Kind, MailStatus, message_id, retry_delay
from services.notifications.smtp import Outcome

log = logging.getLogger(__name__)

# A mail whose recipient's address never arrives (no account.updated for them) is given up
# after this long instead of being tried for ever.
ADDRESS_WAIT = timedelta(days=3)


class Transport(Protocol):
    def send(self, message: Message, *, sender: str, to: str) -> Outcome: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Claimed:
    id: str
    kind: str
    address: str | None  # None: the person's address is not known (yet), or is gone
    gone: bool
    subject: str
    text_body: str
    html_body: str
    unsubscribe_url: str | None
    attempts: int
    event_at: datetime


class MailSender:
    def __init__(
        self,
        session_factory: sessionmaker,
        transport: Transport,
        *,
        mail_from: str,
        batch: int = 50,
        lease: timedelta = timedelta(minutes=2),
        retry_max_seconds: float = 600.0,
    ) -> None:
        self.session_factory = session_factory
        self.transport = transport
        self.mail_from = mail_from
        self.sender_address = parseaddr(mail_from)[1]
        self.domain = self.sender_address.rpartition("@")[2] or "storefront.local"
        self.batch = batch
        self.lease = lease
        self.retry_max_seconds = retry_max_seconds
        self.is_postgres = session_factory.kw["bind"].dialect.name == "postgresql"

    def send_due(self, *, now: datetime | None = None) -> tuple[int, bool]:
        """Send one batch of due mails; (how many were accepted, whether the server
        could be reached)."""
        now = now or utcnow()
        claimed = self._claim(now)
        if not claimed:
            return 0, True
        results: dict[str, tuple[str, Outcome | str]] = {}
        reachable = True
        for mail in claimed:
            if mail.gone:
                results[mail.id] = ("suppressed", "the person's account is gone")
                continue
            if mail.address is None:
                if now - mail.event_at > ADDRESS_WAIT:
                    results[mail.id] = ("suppressed", "no address was ever known for the person")
                else:
                    results[mail.id] = ("later", "the person's address is not known yet")
                continue
            if not reachable:
                results[mail.id] = ("later", "the mail server could not be reached")
                continue
            outcome = self.transport.send(
                self._message(mail), sender=self.sender_address, to=mail.address
            )
            if outcome.unavailable:
                reachable = False
                log.warning("mail server unreachable", extra={"error": outcome.error})
            results[mail.id] = (mail.address, outcome)
        self._record(claimed, results)
        accepted = sum(
            1
            for _, outcome in results.values()
            if isinstance(outcome, Outcome) and outcome.accepted
        )
        return accepted, reachable

    def _claim(self, now: datetime) -> list[Claimed]:
        due = (
            select(Mail.id)
            .where(
                Mail.status == MailStatus.PENDING,
                Mail.next_attempt_at <= now,
                or_(Mail.claimed_until.is_(None), Mail.claimed_until < now),
            )
            .order_by(Mail.next_attempt_at)
            .limit(self.batch)
        )
        if self.is_postgres:
            due = due.with_for_update(skip_locked=True)
        with self.session_factory.begin() as session:
            ids = list(session.scalars(due))
            if not ids:
                return []
            session.execute(
                update(Mail).where(Mail.id.in_(ids)).values(claimed_until=now + self.lease)
            )
            rows = session.execute(
                select(Mail, Person.email, Person.deleted)
                .outerjoin(Person, Person.user_id == Mail.user_id)
                .where(Mail.id.in_(ids))
            ).all()
            refused = self._refused(session, [row[1] or row[0].email for row in rows])
            claimed = []
            for mail, person_email, deleted in rows:
                address = mail.email if mail.user_id is None else (person_email or None)
                # A refused address gets account mails still (they may be how it is
                # fixed), and nothing else until a mail to it is accepted again.
                gone = bool(deleted) or (
                    address in refused and not mail.kind.startswith(Kind.ACCOUNT.value)
                )
                claimed.append(
                    Claimed(
                        id=mail.id,
                        kind=mail.kind,
                        address=address,
                        gone=gone,
                        subject=mail.subject,
                        text_body=mail.text_body,
                        html_body=mail.html_body,
                        unsubscribe_url=mail.unsubscribe_url,
                        attempts=mail.attempts,
                        event_at=as_utc(mail.event_at),
                    )
                )
            return claimed

    @staticmethod
    def _refused(session: Session, addresses: list[str | None]) -> set[str]:
        wanted = sorted({address for address in addresses if address})
        if not wanted:
            return set()
        return set(
            session.scalars(
                select(RefusedAddress.address).where(RefusedAddress.address.in_(wanted))
            )
        )

    def _message(self, mail: Claimed) -> Message:
        # The classic MIME classes, not EmailMessage: the modern policy's header parsing
        # and folding cost more than a millisecond a mail, most of the sender's time.
        message = MIMEMultipart("alternative")
        message["Subject"] = _header(mail.subject)
        message["From"] = self.mail_from
        message["To"] = mail.address
        message["Date"] = format_datetime(mail.event_at)
        # The same mail sent twice (see the module's note) carries the same Message-ID.
        message["Message-ID"] = message_id(mail.id, domain=self.domain)
        if mail.unsubscribe_url:
            # RFC 8058: a mail client may unsubscribe with one POST to this URL.
            message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.attach(MIMEText(mail.text_body, "plain", "utf-8"))
        message.attach(MIMEText(mail.html_body, "html", "utf-8"))
        return message

    def _record(
        self, claimed: list[Claimed], results: dict[str, tuple[str, Outcome | str]]
    ) -> None:
        now = utcnow()
        by_id = {mail.id: mail for mail in claimed}
        sent_ids: list[str] = []
        accepted_addresses: set[str] = set()
        with self.session_factory.begin() as session:
            for mail_id_, (address, outcome) in results.items():
                mail = by_id[mail_id_]
                if isinstance(outcome, str):
                    if address == "suppressed":
                        self._finish(session, mail_id_, MailStatus.SUPPRESSED, error=outcome)
                    else:
                        self._later(session, mail, error=outcome, now=now)
                elif outcome.accepted:
                    sent_ids.append(mail_id_)
                    accepted_addresses.add(address)
                elif outcome.permanent:
                    self._finish(
                        session, mail_id_, MailStatus.REFUSED, error=outcome.error, to=address
                    )
                    self._record_refusal(session, address, outcome, now=now)
                else:
                    self._later(session, mail, error=outcome.error or "put off", now=now)
            if sent_ids:
                session.execute(
                    update(Mail)
                    .where(Mail.id.in_(sent_ids))
                    .values(
                        status=MailStatus.SENT,
                        sent_at=now,
                        claimed_until=None,
                        attempts=Mail.attempts + 1,
                    )
                )
                self._fill_sent_to(session, results, sent_ids)
            if accepted_addresses:
                # An address that takes mail again is no longer shown as refused.
                session.query(RefusedAddress).filter(
                    RefusedAddress.address.in_(sorted(accepted_addresses))
                ).delete(synchronize_session=False)

    @staticmethod
    def _fill_sent_to(
        session: Session, results: dict[str, tuple[str, Outcome | str]], sent_ids: list[str]
    ) -> None:
        by_address: dict[str, list[str]] = {}
        for mail_id_ in sent_ids:
            by_address.setdefault(results[mail_id_][0], []).append(mail_id_)
        for address, ids in by_address.items():
            session.execute(update(Mail).where(Mail.id.in_(ids)).values(sent_to=address))

    def _later(self, session: Session, mail: Claimed, *, error: str, now: datetime) -> None:
        attempts = mail.attempts + 1
        session.execute(
            update(Mail)
            .where(Mail.id == mail.id)
            .values(
                attempts=attempts,
                next_attempt_at=now + retry_delay(attempts, longest=self.retry_max_seconds),
                claimed_until=None,
                last_error=error[:1000],
            )
        )

    @staticmethod
    def _finish(
        session: Session, mail_id_: str, status: MailStatus, *, error: str, to: str | None = None
    ) -> None:
        session.execute(
            update(Mail)
            .where(Mail.id == mail_id_)
            .values(
                status=status,
                claimed_until=None,
                attempts=Mail.attempts + 1,
                last_error=error[:1000],
                sent_to=to,
            )
        )

    @staticmethod
    def _record_refusal(session: Session, address: str, outcome: Outcome, *, now: datetime) -> None:
        known = session.get(RefusedAddress, address)
        if known is None:
            session.add(
                RefusedAddress(
                    address=address,
                    smtp_code=outcome.code or 550,
                    reason=outcome.error[:1000],
                    refused_at=now,
                )
            )
        else:
            known.smtp_code, known.reason, known.refused_at = (
                outcome.code or 550,
                outcome.error[:1000],
                now,
            )
        session.flush()


def _header(value: str) -> str | Header:
    """A header as it may go on the wire: words outside ASCII are encoded (RFC 2047)."""
    return value if value.isascii() else Header(value, "utf-8")


class SenderLoop:
    """Runs a MailSender turn after turn, in the sender process or on a thread of its own
    (tests). A server that cannot be reached is asked again after a growing pause."""

    def __init__(self, sender: MailSender, *, idle: float = 0.05, longest_pause: float = 30.0):
        self.sender = sender
        self.idle = idle
        self.longest_pause = longest_pause
        self.stopped = threading.Event()
        self._thread: threading.Thread | None = None
        # When the last turn ended (time.monotonic()): the process's liveness probe.
        self.last_turn = time.monotonic()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="mail-sender", daemon=True)
        self._thread.start()

    def stop(self, *, timeout: float = 10.0) -> None:
        self.stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def run(self) -> None:
        pause = 0.5
        while not self.stopped.is_set():
            try:
                accepted, reachable = self.sender.send_due()
            except Exception:
                log.exception("mail sender failed; trying again")
                accepted, reachable = 0, False
            self.last_turn = time.monotonic()
            if not reachable:
                self.stopped.wait(pause)
                pause = min(pause * 2, self.longest_pause)
                continue
            pause = 0.5
            if not accepted:
                self.stopped.wait(self.idle)
        self.sender.transport.close()
