"""A signed-out shopper's cart, kept under a guest id, joins their account's cart when they
log in or sign up.

The gateway makes the guest id (a random secret it keeps in a signed cookie) and speaks for
the guest with it as the token's user; only it can name a guest cart to merge. Guest ids
start with GUEST_PREFIX, so an account's cart can never be merged away into another one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlalchemy.orm import Session

from services.orders import db
from services.orders.use_cases.cart import cart_rows

GUEST_PREFIX = "guest:"


class NotAGuestCart(ValueError):
    """The cart to merge is not a guest's, or the one to merge into is."""


@dataclass
class Merged:
    moved: int = 0
    # Titles left out: priced in another currency than the account's cart.
    left_out: list[str] = field(default_factory=list)


def is_guest(user_id: str) -> bool:
    return user_id.startswith(GUEST_PREFIX)


def merge_guest_cart(session: Session, *, guest_id: str, user_id: str) -> Merged:
    """Move the guest's lines into the user's cart; the guest cart is gone afterwards.

    A listing in both keeps the larger quantity: the same book added twice, signed out and
    in, is still one wish. Merging a guest cart already merged (a retry) moves nothing.
    """
    if not is_guest(guest_id) or is_guest(user_id):
        raise NotAGuestCart("only a guest's cart can be merged, and only into an account's")
    merged = Merged()
    mine = {row.listing_id: row for row in cart_rows(session, user_id)}
    currencies = {row.unit_price_currency for row in mine.values()}
    for line in cart_rows(session, guest_id):
        held = mine.get(line.listing_id)
        if held is not None:
            held.quantity = max(held.quantity, line.quantity)
        elif currencies and line.unit_price_currency not in currencies:
            merged.left_out.append(line.title)
            continue
        else:
            # A new line of the account's, as it was shown to the guest.
            mine[line.listing_id] = db.CartLine(
                **{
                    column: getattr(line, column)
                    for column in db.CartLine.__table__.c.keys()
                    if column != "id"
                }
                | {"user_id": user_id}
            )
            session.add(mine[line.listing_id])
            currencies.add(line.unit_price_currency)
        merged.moved += 1
    guest_cart = session.get(db.Cart, guest_id)
    if guest_cart is not None:
        if guest_cart.country and session.get(db.Cart, user_id) is None:
            session.add(db.Cart(user_id=user_id, country=guest_cart.country))
        session.delete(guest_cart)
    session.execute(delete(db.CartLine).where(db.CartLine.user_id == guest_id))
    return merged
