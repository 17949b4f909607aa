"""Writing a mail row: rendered now, in the transaction that applied its event.

A mail is made once per (event, recipient, kind): the consumer's inbox drops a redelivered
event, and the unique key on the mail is the last guard. Its address is looked up when it is
sent, so a person who changes address meanwhile gets it at the new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, insert, select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.notifications import unsubscribe
from services.notifications.db import Mail, MutedKind, Person
from services.notifications.domain import Kind, MailStatus, mail_id, may_turn_off, recipient_of
from services.notifications.render import Renderer


@dataclass(frozen=True)
class Links:
    """Where a mail's links point: the gateway, the only site a browser talks to."""

    public_url: str
    unsubscribe_secret: str

    def page(self, path: str) -> str:
        return self.public_url.rstrip("/") + path

    def unsubscribe(self, *, user_id: str, kind: str) -> str:
        token = unsubscribe.issue(
            unsubscribe.Unsubscribe(user_id=user_id, kind=kind), secret=self.unsubscribe_secret
        )
        return self.page(f"/unsubscribe/{token}")


class Composer:
    def __init__(self, *, renderer: Renderer, links: Links) -> None:
        self.renderer = renderer
        self.links = links
        self._insert = insert(Mail.__table__)

    def mail(
        self,
        session: Session,
        *,
        event_id: str,
        event_at: datetime,
        kind: Kind,
        subject: str,
        template: str,
        context: dict[str, Any],
        user_id: str | None = None,
        email: str | None = None,
        link: str | None = None,
        link_label: str = "Open the page",
        kind_key: str | None = None,
    ) -> bool:
        """Make one mail unless the person turned its kind off; True when it was made."""
        context = dict(context)
        name = context.pop("name", None)
        if user_id is not None:
            # One query for both: whether the kind is muted, and the person's name.
            known, muted = session.execute(_PERSON, {"user_id": user_id, "kind": kind.value}).one()
            if muted and may_turn_off(kind):
                return False
            name = name if name is not None else known
        unsubscribe_url = None
        if user_id is not None and may_turn_off(kind):
            unsubscribe_url = self.links.unsubscribe(user_id=user_id, kind=kind)
        rendered = self.renderer.render(
            template,
            **context,
            name=name or "",
            subject=subject,
            link=link,
            link_label=link_label,
            unsubscribe_url=unsubscribe_url,
            public_url=self.links.public_url.rstrip("/"),
        )
        recipient = recipient_of(user_id=user_id, email=email)
        key = kind_key or kind.value
        now = utcnow()
        session.execute(
            self._insert,
            [
                {
                    "id": mail_id(event_id=event_id, recipient=recipient, kind=key),
                    "event_id": event_id,
                    "recipient": recipient,
                    "kind": key,
                    "user_id": user_id,
                    "email": email if user_id is None else None,
                    "subject": subject[:300],
                    "text_body": rendered.text,
                    "html_body": rendered.html,
                    "unsubscribe_url": unsubscribe_url,
                    "status": MailStatus.PENDING.value,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "claimed_until": None,
                    "event_at": event_at,
                    "created_at": now,
                    "sent_at": None,
                    "sent_to": None,
                    "last_error": None,
                }
            ],
        )
        return True


# Plain statements on the tables, built once: one runs for every mail made.
_people, _muted = Person.__table__.c, MutedKind.__table__.c
_PERSON = select(
    select(_people.display_name).where(_people.user_id == bindparam("user_id")).scalar_subquery(),
    exists()
    .where(_muted.user_id == bindparam("user_id"), _muted.kind == bindparam("kind"))
    .label("muted"),
)
