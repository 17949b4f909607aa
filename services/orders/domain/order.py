"""The Order aggregate: one buyer's checkout, split into one part per shop.

Each shop decides about its own part (accept, decline, ship), so every part has its own
status and its own payments ledger: the order's one authorization is settled part by part.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from services.common.contracts import PostalAddress
from services.orders.domain.cart import CartItem
from services.orders.domain.errors import EmptyCart, IllegalTransition, MixedCurrencies
from services.orders.domain.money import Money, total_of
from services.orders.domain.payments import PartLedger
from services.orders.domain.shipping import Delivery, delivery, shipping_cost


class PartStatus(StrEnum):
    PLACED = "placed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    # The shop accepted but the card could not be charged: the part is called off.
    PAYMENT_FAILED = "payment_failed"


# Every status change a part may make. Declined, delivered, cancelled and payment_failed
# are final; returns will extend this table.
ALLOWED: dict[PartStatus, frozenset[PartStatus]] = {
    PartStatus.PLACED: frozenset({PartStatus.ACCEPTED, PartStatus.DECLINED, PartStatus.CANCELLED}),
    # A shop may still withdraw an accepted part before shipping it; its money is refunded.
    PartStatus.ACCEPTED: frozenset(
        {PartStatus.SHIPPED, PartStatus.DECLINED, PartStatus.PAYMENT_FAILED}
    ),
    PartStatus.DECLINED: frozenset(),
    PartStatus.SHIPPED: frozenset({PartStatus.DELIVERED}),
    PartStatus.DELIVERED: frozenset(),
    PartStatus.CANCELLED: frozenset(),
    PartStatus.PAYMENT_FAILED: frozenset(),
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
    # The structured address checked at checkout (services/orders/addresses.py), of which
    # each shop's part gets its own copy; `address` is its block as one text.
    postal: PostalAddress | None = None


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
    ledger: PartLedger | None = None
    payment_error: str | None = None
    commission_bps: int = 0
    # Extra charges the buyer accepted (a heavy parcel, faster post), settled with the part.
    extra: Money | None = None
    # The buyer asked to cancel; the shop side's answer decides the status.
    cancellation_requested: bool = False
    # The service the buyer chose and its estimate, or collection in person; None for
    # parts read back without it (only checkout needs it whole).
    delivery: Delivery | None = None

    @property
    def total(self) -> Money:
        total = self.subtotal + self.shipping
        return total + self.extra if self.extra is not None else total

    @property
    def payments(self) -> PartLedger:
        if self.ledger is None:
            self.ledger = PartLedger.authorized_for(self.total)
        return self.ledger

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
        """The buyer calls the part off; only until its shop has accepted it."""
        if self.status != PartStatus.PLACED:
            raise IllegalTransition(
                f"this part is {self.status.value.replace('_', ' ')}: it can only be cancelled "
                "before the shop accepts it; write to the shop instead"
            )
        self._move_to(PartStatus.CANCELLED)

    def request_cancellation(self) -> bool:
        """The buyer asks to call the part off. Only the shop side knows whether it has
        accepted meanwhile, so this changes no status: the shop's answer will. Return False
        when the buyer had asked already."""
        if self.status != PartStatus.PLACED:
            raise IllegalTransition(
                f"this part is {self.status.value.replace('_', ' ')}: it can only be cancelled "
                "before the shop accepts it; write to the shop instead"
            )
        if self.cancellation_requested:
            return False
        self.cancellation_requested = True
        return True

    def mark_received(self) -> list[PartStatus]:
        """The buyer got the parcel. Saying so twice changes nothing."""
        if self.status == PartStatus.DELIVERED:
            return []
        if self.status != PartStatus.SHIPPED:
            raise IllegalTransition(
                f"this part is {self.status.value.replace('_', ' ')}: only a shipped part can "
                "be marked as received"
            )
        self._move_to(PartStatus.DELIVERED)
        return [PartStatus.DELIVERED]

    def add_extra(self, amount: Money) -> None:
        """The buyer agreed to pay `amount` more, now held on the card; only while the shop
        has not answered yet."""
        if self.status != PartStatus.PLACED:
            raise IllegalTransition(
                f"this part is {self.status.value.replace('_', ' ')}: an extra charge can only "
                "be added while the shop has not answered"
            )
        self.payments.record_authorization(amount)
        self.extra = self.extra + amount if self.extra is not None else amount

    def fail_payment(self, reason: str) -> None:
        self._move_to(PartStatus.PAYMENT_FAILED)
        self.payment_error = reason

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
        if self.status in (PartStatus.ACCEPTED, PartStatus.SHIPPED, PartStatus.DELIVERED):
            return []
        self.accept()
        return [PartStatus.ACCEPTED]

    def record_declined(self, reason: str) -> list[PartStatus]:
        if self.status == PartStatus.DECLINED:
            return []
        self.decline(reason)
        return [PartStatus.DECLINED]

    def record_cancelled(self) -> list[PartStatus]:
        """The shop side granted the buyer's cancellation (it had not accepted)."""
        if self.status == PartStatus.CANCELLED:
            return []
        self._move_to(PartStatus.CANCELLED)
        return [PartStatus.CANCELLED]

    def record_shipped(self, shipment: Shipment) -> list[PartStatus]:
        if self.status in (PartStatus.SHIPPED, PartStatus.DELIVERED):
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
        commission_bps: int = 0,
        make_id: Callable[[], str] = new_id,
        choices: Mapping[str, str] | None = None,
    ) -> Order:
        """Build the order from cart items: one part per shop, in the cart's shop order,
        each paying its shop's shipping once for all its items, by the service the buyer
        chose for that shop in `choices` (shop id to service code or "pickup"; the
        cheapest service where none is named)."""
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
        parts = []
        for shop_id, lines in by_shop.items():
            sent = parcel_delivery(
                lines,
                destination=shipping_address.country,
                choice=(choices or {}).get(shop_id),
            )
            parts.append(
                ShopOrderPart(
                    id=make_id(),
                    shop_id=shop_id,
                    shop_name=lines[0].shop_name,
                    lines=tuple(lines),
                    subtotal=total_of([line.line_total for line in lines], currency=currency),
                    shipping=sent.cost,
                    commission_bps=commission_bps,
                    delivery=sent,
                )
            )
        return cls(
            id=make_id(),
            buyer=buyer,
            idempotency_key=idempotency_key,
            shipping_address=shipping_address,
            placed_at=placed_at,
            parts=parts,
        )


def items_worth(lines: Sequence[CartItem]) -> Money:
    """What one shop's lines cost before shipping."""
    currency = lines[0].unit_price.currency
    return Money(sum(line.unit_price.amount * line.quantity for line in lines), currency)


def parcel_delivery(
    lines: Sequence[CartItem], *, destination: str, choice: str | None = None
) -> Delivery:
    """One shop's delivery of all its lines (they carry the same shop's rates)."""
    first = lines[0]
    return delivery(
        first.shipping_rates,
        shop_name=first.shop_name,
        items=sum(line.quantity for line in lines),
        shop_country=first.shop_country,
        destination=destination,
        subtotal=items_worth(lines),
        choice=choice,
    )


def parcel_cost(
    lines: Sequence[CartItem], *, destination: str | None, choice: str | None = None
) -> Money:
    """One shop's shipping for all its lines (they carry the same shop's rates)."""
    first = lines[0]
    cost = shipping_cost(
        first.shipping_rates,
        items=sum(line.quantity for line in lines),
        shop_country=first.shop_country,
        destination=destination,
        currency=first.unit_price.currency,
        subtotal=items_worth(lines),
        choice=choice,
        shop_name=first.shop_name,
    )
    # A destination is always known at checkout; the cart shows "unknown" instead.
    return cost if cost is not None else Money.zero(first.unit_price.currency)
