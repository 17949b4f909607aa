"""Read side: the cart and the buyer's orders as the JSON shapes of docs/api.md."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common import shipping as rule
from services.common.clock import as_utc
from services.common.shipping import estimate_text
from services.orders import db
from services.orders.domain.errors import MixedCurrencies
from services.orders.domain.extra_charge import ExtraChargeStatus
from services.orders.domain.money import Money, total_of
from services.orders.domain.order import PartStatus, items_worth, parcel_cost
from services.orders.domain.shipping import NotShippedTo, UnknownDelivery, shipping_cost
from services.orders.mapping import NewOrderRows, cart_item_from_row, ledger_from_row
from services.orders.use_cases.cart import cart_choices, cart_country, cart_rows
from services.orders.use_cases.errors import OrderNotFound

Json = dict[str, Any]

# An empty cart has no currency of its own; its zero total is shown in this one.
EMPTY_CART_CURRENCY = "EUR"


def cart_view(session: Session, user_id: str, *, country: str | None = None) -> Json:
    """The cart with each shop's subtotal and shipping to `country` (else the cart's own).

    A shop's shipping is null while no country is known; the total then counts the items
    and the shipping that is known.
    """
    country = country or cart_country(session, user_id)
    lines: list[Json] = []
    by_shop: dict[str, list] = {}
    for row in cart_rows(session, user_id):
        item = cart_item_from_row(row)
        lines.append(
            {
                "listing_id": item.listing_id,
                "shop_id": item.shop_id,
                "shop_name": item.shop_name,
                "title": item.title,
                "quantity": item.quantity,
                "unit_price": item.unit_price.as_dict(),
                "line_total": item.line_total.as_dict(),
                "added_at": as_utc(row.added_at).isoformat(),
            }
        )
        by_shop.setdefault(item.shop_id, []).append(item)
    shops: list[Json] = []
    choices = cart_choices(session, user_id)
    try:
        amounts: list[Money] = []
        for items in by_shop.values():
            currency = items[0].unit_price.currency
            subtotal = total_of([item.line_total for item in items], currency=currency)
            shop_id = items[0].shop_id
            chosen = choices.get(shop_id)
            problem = None
            try:
                shipping = shipping_quote(items, country, choice=chosen)
            except (NotShippedTo, UnknownDelivery) as refused:
                shipping, problem = None, refused.message
            amounts += [subtotal] + ([shipping] if shipping is not None else [])
            shops.append(
                {
                    "shop_id": shop_id,
                    "shop_name": items[0].shop_name,
                    "subtotal": subtotal.as_dict(),
                    "shipping": shipping.as_dict() if shipping is not None else None,
                    "items": sum(item.quantity for item in items),
                    # The services the buyer may choose from, cheapest first, and the choice.
                    "delivery_options": delivery_options(items, country, subtotal),
                    "delivery_choice": chosen,
                    # Why this shop's part cannot be sent (a country it does not ship to).
                    "delivery_problem": problem,
                }
            )
        currency = amounts[0].currency if amounts else EMPTY_CART_CURRENCY
        total: Json | None = total_of(amounts, currency=currency).as_dict()
    except MixedCurrencies:
        # Only possible when a shop changed a listing's currency; checkout explains it.
        total = None
    return {"lines": lines, "shops": shops, "country": country, "total": total}


def delivery_options(items: list, country: str | None, subtotal: Money) -> list[Json]:
    """What the buyer may choose for one shop's parcel to `country`: its services there
    (none when it does not ship there) and collection where the shop offers it."""
    rates = items[0].shipping_rates
    if rates is None:
        return []
    profile = rates.profile
    found: list[Json] = []
    if country is not None and profile.currency == subtotal.currency:
        try:
            quotes = rule.options(
                profile,
                shop_country=items[0].shop_country,
                destination=country,
                items=sum(item.quantity for item in items),
                subtotal=subtotal.amount,
            )
        except rule.NotShipped:
            quotes = []
        found = [
            quote.as_dict() | {"estimate": estimate_text(quote.days_min, quote.days_max)}
            for quote in quotes
        ]
    if profile.pickup:
        found.append(
            {
                "amount": 0,
                "currency": subtotal.currency,
                "service": rule.PICKUP,
                "service_name": "Collection in person",
                "days_min": None,
                "days_max": None,
                "free": True,
                "estimate": None,
            }
        )
    return found


def shipping_quote(items: list, country: str | None, *, choice: str | None = None) -> Money | None:
    if country is None:
        first = items[0]
        # Without a destination only a shop that ships for free can be priced.
        return shipping_cost(
            first.shipping_rates,
            items=sum(item.quantity for item in items),
            shop_country=first.shop_country,
            destination=None,
            currency=first.unit_price.currency,
            subtotal=items_worth(items),
            choice=choice,
            shop_name=first.shop_name,
        )
    return parcel_cost(items, destination=country, choice=choice)


def order_view(order: db.Order) -> Json:
    return {
        "id": order.id,
        "placed_at": as_utc(order.placed_at).isoformat(),
        "total": {"amount": order.total_amount, "currency": order.total_currency},
        "shipping_name": order.shipping_name,
        "shipping_address": order.shipping_address,
        "country": order.country,
        # The structured address (null for orders placed before it existed); after its
        # retention period only the country is left and address_erased is true.
        "delivery_address": order.delivery_address,
        "address_erased": order.address_erased_at is not None,
        "payment": {
            "card_last4": order.card_last4,
            "authorized": {"amount": order.total_amount, "currency": order.total_currency}
            if order.authorization_id
            else None,
        },
        "parts": [part_view(part) for part in order.parts],
    }


def part_view(part: db.ShopOrder) -> Json:
    return {
        "shop_order_id": part.id,
        "shop_id": part.shop_id,
        "shop_name": part.shop_name,
        "status": part.status,
        "lines": part.lines,
        "subtotal": {"amount": part.subtotal_amount, "currency": part.currency},
        "shipping": {"amount": part.shipping_amount, "currency": part.currency},
        # How the part reaches the buyer; null service for parts placed before buyers chose.
        "delivery": {
            "service": part.delivery_service,
            "service_name": part.delivery_service_name,
            "days_min": part.delivery_days_min,
            "days_max": part.delivery_days_max,
            "estimate": estimate_text(part.delivery_days_min, part.delivery_days_max),
            "collection": bool(part.collection),
        },
        "decline_reason": part.decline_reason,
        "note": part.note,
        "signed_by": part.signed_by,
        "carrier": part.carrier,
        "tracking_number": part.tracking_number,
        # Extra charges the buyer accepted are part of what the part costs.
        "extra": {"amount": part.extra_amount, "currency": part.currency},
        "total": {
            "amount": part.subtotal_amount + part.shipping_amount + part.extra_amount,
            "currency": part.currency,
        },
        "payments": ledger_from_row(part).as_dict(),
        "payment_error": part.payment_error,
        "extra_charges": [extra_charge_view(charge) for charge in part.extra_charges],
        # The buyer asked to cancel: the shop side decides, the status follows its answer.
        "cancellation_requested": part.cancellation_requested_at is not None,
        "cancel_reason": part.cancel_reason,
        # What the buyer may do now, so pages need not know the status rules.
        "can_cancel": (
            part.status == PartStatus.PLACED.value and part.cancellation_requested_at is None
        ),
        "can_mark_received": part.status == PartStatus.SHIPPED.value,
        "can_answer_extra_charge": any(
            charge.status == ExtraChargeStatus.OPEN.value for charge in part.extra_charges
        ),
        "timeline": timeline_view(part),
    }


def extra_charge_view(charge: db.ExtraCharge) -> Json:
    return {
        "id": charge.id,
        "amount": {"amount": charge.amount, "currency": charge.currency},
        "reason": charge.reason,
        "proposed_by": charge.proposed_by,
        "proposed_at": as_utc(charge.proposed_at).isoformat(),
        "answer_by": as_utc(charge.answer_by).isoformat(),
        "status": charge.status,
        "answered_at": as_utc(charge.answered_at).isoformat() if charge.answered_at else None,
    }


def timeline_view(part: db.ShopOrder) -> list[Json]:
    """The part's statuses, with each extra charge proposed and answered, by time."""
    entries: list[Json] = [
        {"status": entry.status, "at": as_utc(entry.at).isoformat()}
        | ({"note": TIMELINE_NOTES[entry.status]} if entry.status in TIMELINE_NOTES else {})
        for entry in part.timeline
    ]
    for charge in part.extra_charges:
        amount = {"amount": charge.amount, "currency": charge.currency}
        entries.append(
            {
                "status": "extra_charge_proposed",
                "at": as_utc(charge.proposed_at).isoformat(),
                "amount": amount,
                "reason": charge.reason,
            }
        )
        if charge.answered_at is not None:
            entries.append(
                {
                    "status": f"extra_charge_{charge.status}",
                    "at": as_utc(charge.answered_at).isoformat(),
                    "amount": amount,
                }
            )
    # At the same moment, the buyer's answer comes before the status it caused (cancelled).
    return sorted(entries, key=lambda entry: (entry["at"], "amount" not in entry))


# What the buyer reads beside the steps that are not statuses.
TIMELINE_NOTES = {
    "cancel_requested": "You asked the shop to cancel this part.",
    "cancel_refused": "The shop had already accepted this part, so it could not be "
    "cancelled: it goes on.",
    "ready_to_collect": "Your order is ready to collect at the shop.",
}


def placed_order_view(rows: NewOrderRows) -> Json:
    """The order a checkout just wrote, from its rows: the same shape as `buyer_order`
    without reading it back. Stand-ins with the rows' attributes, every column the rows
    leave out being None as on an unsaved row object (no extra charges, nothing shipped),
    keep one definition of the shape, `order_view`; real row objects would cost more in
    the ORM's attribute tracking than the whole view."""
    parts = []
    for values in rows.parts:
        timeline = [
            SimpleNamespace(status=entry["status"], at=entry["at"])
            for entry in rows.timeline
            if entry["shop_order_id"] == values["id"]
        ]
        parts.append(
            SimpleNamespace(**{**_UNSET_PART, **values, "extra_charges": [], "timeline": timeline})
        )
    return order_view(SimpleNamespace(**{**_UNSET_ORDER, **rows.order, "parts": parts}))


_UNSET_ORDER = dict.fromkeys(db.Order.__table__.columns.keys())
_UNSET_PART = dict.fromkeys(db.ShopOrder.__table__.columns.keys())


def buyer_order(session: Session, *, user_id: str, order_id: str) -> Json:
    """One order, only for its buyer: anyone else learns nothing, not even that it exists."""
    order = session.get(db.Order, order_id)
    if order is None or order.buyer_user_id != user_id:
        raise OrderNotFound("no such order among yours")
    return order_view(order)


def buyer_orders(session: Session, *, user_id: str) -> Json:
    orders = session.scalars(
        select(db.Order)
        .where(db.Order.buyer_user_id == user_id)
        .order_by(db.Order.placed_at.desc(), db.Order.id.desc())
    )
    return {"orders": [order_view(order) for order in orders]}
