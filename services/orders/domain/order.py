"""The Order aggregate: one buyer's checkout, split into one part per shop.

Each shop decides about its own part (accept, decline, ship), so every part has its own
status. Payments, cancellation by the buyer, shipping rates and reviews attach to the order
and to its parts later without changing this shape: a part already carries its shipping
amount and a `cancelled` status.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from services.orders.domain.cart import CartItem
from services.orders.domain.errors import EmptyCart, IllegalTransition, MixedCurrencies
from services.orders.domain.money import Money, total_of


class PartStatus(StrEnum):
    PLACED = "placed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


# Every status change a part may make. Declined, shipped and cancelled are final here;
# delivery and returns will extend this table.
ALLOWED: dict[PartStatus, frozenset[PartStatus]] = {
    PartStatus.PLACED: frozenset({PartStatus.ACCEPTED, PartStatus.DECLINED, PartStatus.CANCELLED}),
    PartStatus.ACCEPTED: frozenset({PartStatus.SHIPPED}),
    PartStatus.DECLINED: frozenset(),
    PartStatus.SHIPPED: frozenset(),
    PartStatus.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class Buyer:
    user_id: str
    name: str


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    address: str
    country: str


@dataclass(frozen=True)
class Shipment:
    """The shop's parcel: a personal note signed by a person, and optional tracking."""

    note: str
    signed_by: str
    carrier: str | None = None
    tracking_number: str | None = None


@dataclass
class ShopOrderPart:
    id: str
    shop_id: str
    shop_name: str
    lines: tuple[CartItem, ...]
    subtotal: Money
    shipping: Money
    status: PartStatus = PartStatus.PLACED
    decline_reason: str | None = None
    shipment: Shipment | None = None

    @property
    def total(self) -> Money:
        return self.subtotal + self.shipping

    # --- commands: each refuses a change the current status does not allow -------------

    def accept(self) -> None:
        self._move_to(PartStatus.ACCEPTED)

    def decline(self, reason: str) -> None:
        self._move_to(PartStatus.DECLINED)
        self.decline_reason = reason

    def ship(self, shipment: Shipment) -> None:
        self._move_to(PartStatus.SHIPPED)
        self.shipment = shipment

    def cancel(self) -> None:
        self._move_to(PartStatus.CANCELLED)

    def _move_to(self, target: PartStatus) -> None:
        if target not in ALLOWED[self.status]:
            raise IllegalTransition(
                f"this part of the order is {self.status.value} and cannot become {target.value}"
            )
        self.status = target

    # --- facts reported by the shop ----------------------------------------------------
    # Messages may arrive twice or out of order. A fact already known, or one the part has
    # moved past, changes nothing; a fact that implies an earlier one (a shop only ships
    # what it accepted) records both. Each returns the statuses newly entered, in order,
    # and raises IllegalTransition only for a contradiction (accepted after declined).

    def record_accepted(self) -> list[PartStatus]:
        if self.status in (PartStatus.ACCEPTED, PartStatus.SHIPPED):
            return []
        self.accept()
        return [PartStatus.ACCEPTED]

    def record_declined(self, reason: str) -> list[PartStatus]:
        if self.status == PartStatus.DECLINED:
            return []
        self.decline(reason)
        return [PartStatus.DECLINED]

    def record_shipped(self, shipment: Shipment) -> list[PartStatus]:
        if self.status == PartStatus.SHIPPED:
            return []
        entered: list[PartStatus] = []
        if self.status == PartStatus.PLACED:
            self.accept()
            entered.append(PartStatus.ACCEPTED)
        self.ship(shipment)
        entered.append(PartStatus.SHIPPED)
        return entered


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Order:
    id: str
    buyer: Buyer
    idempotency_key: str
    shipping_address: ShippingAddress
    placed_at: datetime
    parts: list[ShopOrderPart] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.parts[0].subtotal.currency

    @property
    def total(self) -> Money:
        return total_of([part.total for part in self.parts], currency=self.currency)

    @classmethod
    def place(
        cls,
        *,
        buyer: Buyer,
        idempotency_key: str,
        shipping_address: ShippingAddress,
        items: Sequence[CartItem],
        placed_at: datetime,
        make_id: Callable[[], str] = new_id,
    ) -> Order:
        """Build the order from cart items: one part per shop, in the cart's shop order."""
        if not items:
            raise EmptyCart("your cart is empty: add something before checking out")
        currencies = sorted({item.unit_price.currency for item in items})
        if len(currencies) > 1:
            raise MixedCurrencies(
                f"mixed currencies: your cart holds items priced in {', '.join(currencies)}; "
                "remove the items of all but one currency and check out again"
            )
        currency = currencies[0]
        by_shop: dict[str, list[CartItem]] = {}
        for item in items:
            by_shop.setdefault(item.shop_id, []).append(item)
        parts = [
            ShopOrderPart(
                id=make_id(),
                shop_id=shop_id,
                shop_name=lines[0].shop_name,
                lines=tuple(lines),
                subtotal=total_of([line.line_total for line in lines], currency=currency),
                # Shops' shipping profiles come later; until then shipping is free.
                shipping=Money.zero(currency),
            )
            for shop_id, lines in by_shop.items()
        ]
        return cls(
            id=make_id(),
            buyer=buyer,
            idempotency_key=idempotency_key,
            shipping_address=shipping_address,
            placed_at=placed_at,
            parts=parts,
        )
