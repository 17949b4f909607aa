"""A person's mail preferences and the state of their address, for the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.notifications.db import MutedKind, Person, RefusedAddress
from services.notifications.domain import OPTIONAL_KINDS, PREFERENCES


class UnknownKind(ValueError):
    """A kind of mail nobody may turn off or on (account mails), or none at all."""


def preferences_of(session: Session, user_id: str) -> dict[str, Any]:
    muted = set(session.scalars(select(MutedKind.kind).where(MutedKind.user_id == user_id)))
    person = session.get(Person, user_id)
    address = person.email if person is not None and not person.deleted else None
    refused = session.get(RefusedAddress, address) if address else None
    return {
        "kinds": [
            {
                "kind": preference.kind.value,
                "audience": preference.audience,
                "label": preference.label,
                "enabled": preference.kind.value not in muted,
            }
            for preference in PREFERENCES
        ],
        "address": address,
        "refused": None
        if refused is None
        else {
            "address": refused.address,
            "code": refused.smtp_code,
            "reason": refused.reason,
            "refused_at": refused.refused_at.isoformat(),
        },
    }


def set_preferences(session: Session, user_id: str, wanted: dict[str, bool]) -> None:
    unknown = sorted(kind for kind in wanted if kind not in OPTIONAL_KINDS)
    if unknown:
        raise UnknownKind(", ".join(unknown))
    for kind, enabled in wanted.items():
        if enabled:
            session.execute(
                delete(MutedKind).where(MutedKind.user_id == user_id, MutedKind.kind == kind)
            )
        else:
            mute(session, user_id, kind)


def mute(session: Session, user_id: str, kind: str) -> None:
    if kind not in OPTIONAL_KINDS:
        raise UnknownKind(kind)
    if session.get(MutedKind, (user_id, kind)) is None:
        session.add(MutedKind(user_id=user_id, kind=kind, muted_at=utcnow()))
        session.flush()


def label_of(kind: str) -> str:
    for preference in PREFERENCES:
        if preference.kind.value == kind:
            return preference.label
    return kind
