"""Adding to and removing from the cart.

The shops service is asked before the database transaction opens: no lock is held while
another service answers (on SQLite a write transaction locks the whole file).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.common.clock import utcnow
from services.orders import db
from services.orders.domain.cart import CartItem, availability_problem, stock_problem
from services.orders.domain.errors import MixedCurrencies
from services.orders.listings import ListingDirectory, ListingInfo
from services.orders.mapping import cart_item_from_row
from services.orders.use_cases.errors import NotEnoughStock, NotPurchasable, UnknownListing

# Built once: checkout reads the cart twice. On the table's columns: checkout only reads
# the lines, and plain Core rows skip the ORM's identity map and loading.
_cart_lines = db.CartLine.__table__.c
CART_LINES = (
    select(*_cart_lines)
    .where(_cart_lines.user_id == bindparam("user_id"))
    .order_by(_cart_lines.added_at, _cart_lines.id)
)
# The same lines as CartLine objects, for the callers that change them.
CART_LINE_OBJECTS = select(db.CartLine).from_statement(CART_LINES)


def cart_rows(session: Session, user_id: str) -> list[db.CartLine]:
    """The buyer's cart lines in the order they were added."""
    return list(session.scalars(CART_LINE_OBJECTS, {"user_id": user_id}))


def cart_items(session: Session, user_id: str) -> list[CartItem]:
    """The buyer's cart lines in the order they were added, read only."""
    return [cart_item_from_row(row) for row in session.execute(CART_LINES, {"user_id": user_id})]


def add_to_cart(
    session_factory: sessionmaker,
    listings: ListingDirectory,
    *,
    user_id: str,
    listing_id: str,
    quantity: int,
    now: Callable[[], datetime] = utcnow,
) -> bool:
    """Put `quantity` of a listing in the cart (replacing any earlier quantity, so a retried
    request changes nothing). Return True when the line is new."""
    listing = listings.get(listing_id)
    if listing is None:
        raise UnknownListing(
            f"there is no listing {listing_id!r} for sale: it may have been removed"
        )
    unavailable = availability_problem(listing.title, listing)
    if unavailable:
        raise NotPurchasable(unavailable)
    shortage = stock_problem(listing.title, quantity, listing.quantity)
    if shortage:
        raise NotEnoughStock(shortage)
    try:
        return _save_line(session_factory, user_id, listing, quantity, now())
    except IntegrityError:
        # The same buyer added the same listing twice at once; the first insert won, so
        # this attempt finds its line and updates it.
        return _save_line(session_factory, user_id, listing, quantity, now())


def _save_line(
    session_factory: sessionmaker,
    user_id: str,
    listing: ListingInfo,
    quantity: int,
    now: datetime,
) -> bool:
    with session_factory.begin() as session:
        rows = cart_rows(session, user_id)
        other_currencies = {row.unit_price_currency for row in rows if row.listing_id != listing.id}
        if other_currencies and listing.price.currency not in other_currencies:
            raise MixedCurrencies(
                f"mixed currencies: your cart holds items priced in "
                f"{', '.join(sorted(other_currencies))} and “{listing.title}” is priced in "
                f"{listing.price.currency}; check out your cart first"
            )
        line = next((row for row in rows if row.listing_id == listing.id), None)
        created = line is None
        if line is None:
            line = db.CartLine(user_id=user_id, listing_id=listing.id, added_at=now)
            session.add(line)
        # The line keeps what the buyer was shown now: that is what checkout compares.
        line.shop_id = listing.shop_id
        line.shop_name = listing.shop_name
        line.title = listing.title
        line.quantity = quantity
        line.unit_price_amount = listing.price.amount
        line.unit_price_currency = listing.price.currency
        line.shop_country = listing.shop_country
        line.shipping_rates = listing.shipping.as_dict() if listing.shipping else None
        return created


def remove_from_cart(session: Session, *, user_id: str, listing_id: str) -> None:
    """Remove a line; removing a line that is not there is not an error (retries are safe)."""
    session.execute(
        delete(db.CartLine).where(
            db.CartLine.user_id == user_id, db.CartLine.listing_id == listing_id
        )
    )


def cart_country(session: Session, user_id: str) -> str | None:
    cart = session.get(db.Cart, user_id)
    return cart.country if cart is not None else None


def set_cart_country(session: Session, *, user_id: str, country: str | None) -> None:
    """Remember where the buyer's parcels would go, for the cart's shipping quote."""
    cart = session.get(db.Cart, user_id)
    if cart is None:
        cart = db.Cart(user_id=user_id)
        session.add(cart)
    cart.country = country
    cart.updated_at = utcnow()


# A plain Core select: checkout reads it once per order, beside the cart's lines.
CART_CHOICES = select(db.Cart.__table__.c.delivery_choices).where(
    db.Cart.__table__.c.user_id == bindparam("user_id")
)


def cart_choices(session: Session, user_id: str) -> dict[str, str]:
    """The service the buyer chose per shop ({shop_id: code or "pickup"})."""
    return dict(session.scalar(CART_CHOICES, {"user_id": user_id}) or {})


def set_delivery_choice(
    session: Session, *, user_id: str, shop_id: str, service: str | None
) -> None:
    """Remember the buyer's service for one shop's parcel; None goes back to the cheapest."""
    cart = session.get(db.Cart, user_id)
    if cart is None:
        cart = db.Cart(user_id=user_id)
        session.add(cart)
    choices = dict(cart.delivery_choices or {})
    if service is None:
        choices.pop(shop_id, None)
    else:
        choices[shop_id] = service
    # A new dict, so the JSON column is seen as changed.
    cart.delivery_choices = choices
    cart.updated_at = utcnow()
