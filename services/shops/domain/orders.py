"""The shop order's lifecycle: a mixin the database model inherits, so every status change
goes through a method that refuses illegal moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.shops.domain.checks import Checker, require_text
from services.shops.domain.errors import IllegalTransition

NOTE_MAX = 2000
REASON_MAX = 500
SHORT_MAX = 100


def respond_by(received_at: datetime, *, hours: int) -> datetime:
    return received_at + timedelta(hours=hours)


def no_answer_reason(*, hours: int) -> str:
    return f"The shop did not answer within {hours} hours"


class ShopOrderStatus:
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SHIPPED = "shipped"
    # The buyer's side called the order off; its reserved stock went back on the shelf.
    CANCELLED = "cancelled"

    ALL = (PENDING, ACCEPTED, DECLINED, SHIPPED, CANCELLED)


class ShopOrderLifecycle:
    """Status changes of a shop order. The class using it provides these attributes."""

    status: str
    decided_at: datetime | None
    decline_reason: str | None
    note: str | None
    signed_by: str | None
    carrier: str | None
    tracking_number: str | None
    shipped_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    stock_reserved: bool
    respond_by: datetime | None

    def _require(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise IllegalTransition(
                f"this order is {self.status}, so it cannot be {action} "
                f"(only {' or '.join(allowed)} orders can be)"
            )

    def is_overdue(self, *, now: datetime) -> bool:
        """Pending past its answer deadline: the shop's silence becomes a decline."""
        return (
            self.status == ShopOrderStatus.PENDING
            and self.respond_by is not None
            and _aware(self.respond_by) <= now
        )

    def accept(self, *, now: datetime) -> None:
        self._require("accepted", ShopOrderStatus.PENDING)
        self.status = ShopOrderStatus.ACCEPTED
        self.decided_at = now

    def decline(self, *, reason: str | None, now: datetime) -> bool:
        """Decline a pending order; return True when its reserved stock must go back."""
        self._require("declined", ShopOrderStatus.PENDING)
        self.decline_reason = require_text(
            "reason", reason, limit=REASON_MAX, label="the reason for declining"
        )
        self.status = ShopOrderStatus.DECLINED
        self.decided_at = now
        return self._give_back_stock()

    def ship(
        self,
        *,
        note: str | None,
        signed_by: str,
        carrier: str | None = None,
        tracking_number: str | None = None,
        now: datetime,
    ) -> None:
        self._require("shipped", ShopOrderStatus.ACCEPTED)
        check = Checker()
        cleaned_note = check.required_text("note", note, limit=NOTE_MAX, label="the note")
        cleaned_carrier = check.optional_text("carrier", carrier, limit=SHORT_MAX)
        cleaned_tracking = check.optional_text("tracking_number", tracking_number, limit=SHORT_MAX)
        check.done()
        self.note = cleaned_note
        self.signed_by = signed_by
        self.carrier = cleaned_carrier
        self.tracking_number = cleaned_tracking
        self.status = ShopOrderStatus.SHIPPED
        self.shipped_at = now

    def cancel(self, *, reason: str, now: datetime) -> bool:
        """Cancel an order not yet shipped; return True when its stock must go back."""
        self._require("cancelled", ShopOrderStatus.PENDING, ShopOrderStatus.ACCEPTED)
        self.status = ShopOrderStatus.CANCELLED
        self.cancelled_at = now
        self.cancel_reason = reason.strip()[:REASON_MAX] or None
        return self._give_back_stock()

    def _give_back_stock(self) -> bool:
        # Stock is given back at most once, whatever path the order takes after reserving.
        held = self.stock_reserved
        self.stock_reserved = False
        return held


def _aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; everything stored here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
