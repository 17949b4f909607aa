"""An extra charge's row and its domain object, and closing one when its part ends."""

from __future__ import annotations

from datetime import datetime

from services.common.clock import as_utc
from services.orders import db
from services.orders.domain.extra_charge import ExtraCharge, ExtraChargeStatus
from services.orders.domain.money import Money


def withdraw_open(row: db.ShopOrder, *, at: datetime) -> None:
    """The part ended otherwise (declined, cancelled) while a proposal waited: close it."""
    charge_row = open_charge(row)
    if charge_row is not None:
        charge = charge_from_row(charge_row)
        charge.withdraw(now=at)
        save_charge(charge, charge_row)


def open_charge(row: db.ShopOrder) -> db.ExtraCharge | None:
    return next((c for c in row.extra_charges if c.status == ExtraChargeStatus.OPEN.value), None)


def charge_from_row(row: db.ExtraCharge) -> ExtraCharge:
    return ExtraCharge(
        id=row.id,
        amount=Money(row.amount, row.currency),
        reason=row.reason,
        proposed_by=row.proposed_by,
        proposed_at=as_utc(row.proposed_at),
        answer_by=as_utc(row.answer_by),
        status=ExtraChargeStatus(row.status),
        answered_at=as_utc(row.answered_at) if row.answered_at else None,
    )


def save_charge(charge: ExtraCharge, row: db.ExtraCharge) -> None:
    row.status = charge.status.value
    row.answered_at = charge.answered_at
