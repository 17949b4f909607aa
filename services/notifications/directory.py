"""Who is who, as the notifications service learns it from events: people's addresses
(`account.updated`, `account.deleted`), shops' names and members (`shop.updated`,
`shop.members_changed`) and each order part's buyer and contents (`order.placed`,
`order.confirmed`). Each function runs in the consumer's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.common.contracts import (
    AccountDeleted,
    AccountUpdated,
    Envelope,
    OrderPlaced,
    ShopMembersChanged,
    ShopUpdated,
)
from services.notifications.db import (
    KnownPart,
    KnownShop,
    Mail,
    MatchDigest,
    MutedKind,
    Person,
    WaitingMatch,
)
from services.notifications.domain import MailStatus


def account_updated(session: Session, event: AccountUpdated, _e: Envelope) -> None:
    person = session.get(Person, event.user_id)
    if person is None:
        session.add(
            Person(
                user_id=event.user_id,
                email=event.email,
                display_name=event.display_name,
                email_verified=event.email_verified,
                revision=event.revision,
                deleted=False,
            )
        )
        session.flush()
        return
    if person.deleted or event.revision <= person.revision:
        return  # an older copy arriving late, or an account already gone
    person.email = event.email
    person.display_name = event.display_name
    person.email_verified = event.email_verified
    person.revision = event.revision


def account_deleted(session: Session, event: AccountDeleted, _e: Envelope) -> None:
    # The address is forgotten; mails not sent yet are not sent.
    person = session.get(Person, event.user_id)
    if person is None:
        person = Person(user_id=event.user_id, email="", revision=0)
        session.add(person)
    person.email, person.display_name, person.deleted = "", "", True
    session.execute(
        update(Mail)
        .where(Mail.user_id == event.user_id, Mail.status == MailStatus.PENDING)
        .values(status=MailStatus.SUPPRESSED, last_error="the account was deleted")
    )
    for model in (MutedKind, WaitingMatch, MatchDigest):
        session.query(model).filter(model.user_id == event.user_id).delete()


def members_changed(session: Session, event: ShopMembersChanged, _e: Envelope) -> None:
    shop = _shop(session, event.shop_id)
    if event.revision <= shop.members_revision:
        return
    shop.slug, shop.name = event.slug, event.name
    shop.members = [member.user_id for member in event.members]
    shop.members_revision = event.revision


def shop_updated(session: Session, event: ShopUpdated, _e: Envelope) -> None:
    shop = _shop(session, event.shop_id)
    shop.slug, shop.name = event.slug, event.name


def order_placed(session: Session, event: OrderPlaced, _e: Envelope) -> None:
    remember_part(
        session,
        shop_order_id=event.shop_order_id,
        order_id=event.order_id,
        shop_id=event.shop_id,
        buyer=(event.buyer.user_id, event.buyer.name),
        lines=[line.model_dump(mode="json") for line in event.lines],
        subtotal=event.subtotal.amount,
        shipping=event.shipping.amount,
        currency=event.subtotal.currency,
        delivery=None if event.delivery is None else event.delivery.model_dump(mode="json"),
    )


def _shop(session: Session, shop_id: str) -> KnownShop:
    shop = session.get(KnownShop, shop_id)
    if shop is None:
        shop = KnownShop(shop_id=shop_id, slug="", name="", members=[], members_revision=0)
        session.add(shop)
    return shop


def shop_name(session: Session, shop_id: str) -> str:
    return shop_names(session, [shop_id])[shop_id]


def remember_part(session: Session, **part: Any) -> None:
    remember_parts(session, [part])


def shop_names(session: Session, shop_ids: list[str]) -> dict[str, str]:
    """Each shop's name, "The shop" for one not heard of yet."""
    # A shop this batch just heard of is in the session, not yet in the table.
    session.flush()
    found = dict(session.execute(_SHOP_NAMES, {"ids": shop_ids}).tuples().all())
    return {shop_id: found.get(shop_id) or "The shop" for shop_id in shop_ids}


def remember_parts(session: Session, parts: list[dict[str, Any]]) -> None:
    """Record order parts not known yet: order.placed and order.confirmed both describe
    each part, and whichever arrives first is kept."""
    rows = [
        {
            "shop_order_id": part["shop_order_id"],
            "order_id": part["order_id"],
            "shop_id": part["shop_id"],
            "buyer_user_id": part["buyer"][0],
            "buyer_name": part["buyer"][1],
            "lines": part["lines"],
            "subtotal_amount": part["subtotal"],
            "shipping_amount": part["shipping"],
            "currency": part["currency"],
            "extra_amount": 0,
            "delivery": part.get("delivery"),
        }
        for part in parts
    ]
    dialect = session.get_bind().dialect.name
    session.execute(_INSERT_NEW_PARTS[dialect == "postgresql"], rows)


# Built once: every order's events run them, and building one costs more than running it.
_shops = KnownShop.__table__.c
_SHOP_NAMES = select(_shops.shop_id, _shops.name).where(
    _shops.shop_id.in_(bindparam("ids", expanding=True))
)
_INSERT_NEW_PARTS = {
    False: sqlite_insert(KnownPart.__table__).on_conflict_do_nothing(),
    True: postgresql_insert(KnownPart.__table__).on_conflict_do_nothing(),
}
