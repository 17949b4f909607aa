"""Who may act for a shop here: the shops service's membership, followed by event.

The service token still names the shops the gateway believes the person belongs to, but a
token is only as current as the page that asked for it. A shop whose membership this service
has heard of is checked against that list on every request; a shop it has never heard of
(one that has not changed its members since the event began to be sent) still relies on the
token, which the gateway now reads fresh from the shops service on every request.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.contracts import Envelope, ShopMembersChanged
from services.orders import db


def member_shops(session: Session, principal: Principal) -> frozenset[str]:
    """The token's shops that the person still belongs to."""
    return _still_members(session, principal.user_id, principal.shop_ids)


def is_member(session: Session, principal: Principal, shop_id: str) -> bool:
    if not principal.is_member_of(shop_id):
        return False
    return bool(_still_members(session, principal.user_id, [shop_id]))


def _still_members(session: Session, user_id: str, shop_ids: Collection[str]) -> frozenset[str]:
    if not shop_ids:
        return frozenset()
    known = dict(
        session.execute(
            select(db.ShopMembership.shop_id, db.ShopMembership.user_ids).where(
                db.ShopMembership.shop_id.in_(list(shop_ids))
            )
        ).all()
    )
    return frozenset(
        shop_id for shop_id in shop_ids if shop_id not in known or user_id in known[shop_id]
    )


def on_members_changed(session: Session, event: ShopMembersChanged, envelope: Envelope) -> None:
    """Keep the newest list: an older revision arriving late changes nothing."""
    row = session.get(db.ShopMembership, event.shop_id, with_for_update=True)
    user_ids = sorted({member.user_id for member in event.members})
    if row is None:
        session.add(
            db.ShopMembership(shop_id=event.shop_id, revision=event.revision, user_ids=user_ids)
        )
    elif event.revision > row.revision:
        row.revision = event.revision
        row.user_ids = user_ids
