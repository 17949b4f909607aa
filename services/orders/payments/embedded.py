"""The embedded test payment provider: the default, with its state in the orders database.

It behaves like a card processor in test mode, with documented test card numbers:

    4242 4242 4242 4242   succeeds (as does any other valid number)
    4000 0000 0000 0002   declined at authorization
    4000 0000 0000 0341   authorizes, but every capture fails

An extra charge the buyer accepts is an increment of the order's authorization: captures
and voids may then take up to the authorization and its increments together.

It works inside the caller's session: its rows commit or roll back with the change they
pay for, and on SQLite (one writer at a time) it never waits on its own caller's lock.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, ScalarSelect, bindparam, func, insert, or_, select
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.orders.db import EmbeddedPaymentOperation
from services.orders.domain.money import Money
from services.orders.payments.port import (
    Authorization,
    Capture,
    Card,
    PaymentDeclined,
    PaymentFailed,
)

# Built once: every checkout and every shop's answer runs them, and building a statement
# costs more than running it. On the table rather than the mapped class: plain Core skips
# the ORM's loading steps, and the rows are never held as objects by the caller's session,
# so what one statement writes the next one reads, with nothing waiting to be flushed.
_operations = EmbeddedPaymentOperation.__table__
_op = _operations.c
AUTHORIZATION_FOR_KEY = select(_op.id, _op.amount, _op.currency, _op.card_last4).where(
    _op.idempotency_key == bindparam("key")
)
OPERATION_FOR_KEY = select(_op.id).where(_op.idempotency_key == bindparam("key"))


def _sum_on_authorization(*kinds: str) -> ScalarSelect[Any]:
    """What the operations of these kinds on the outer query's authorization add up to."""
    other = _operations.alias()
    return (
        select(func.coalesce(func.sum(other.c.amount), 0))
        .where(other.c.authorization_id == _op.id, or_(*(other.c.kind == k for k in kinds)))
        .scalar_subquery()
    )


# The authorization with what its captures and voids took and what its increments (extra
# charges the buyer accepted) add, in one query: every capture and void needs all three.
AUTHORIZATION = select(
    _op.id,
    _op.kind,
    _op.amount,
    _op.currency,
    _op.card_last4,
    _op.fails_capture,
    _sum_on_authorization("capture", "void").label("taken"),
    _sum_on_authorization("increment").label("increments"),
).where(_op.id == bindparam("id"))
REFUNDED = select(func.coalesce(func.sum(_op.amount), 0)).where(
    _op.kind == "refund", _op.capture_id == bindparam("capture_id")
)
INSERT_OPERATION = insert(_operations)

DECLINED_CARD = "4000000000000002"
CAPTURE_FAILS_CARD = "4000000000000341"


class EmbeddedTestProvider:
    name = "test"

    def __init__(self, session: Session) -> None:
        self.session = session

    def authorize(self, amount: Money, card: Card, idempotency_key: str) -> Authorization:
        earlier = self.session.execute(AUTHORIZATION_FOR_KEY, {"key": idempotency_key}).first()
        if earlier is not None:
            return _authorization(earlier)
        if card.number == DECLINED_CARD:
            raise PaymentDeclined(
                f"your card ending {card.last4} was declined by its bank: nothing was charged "
                "and nothing was ordered. Try another card"
            )
        authorization = Authorization(id=str(uuid.uuid4()), amount=amount, card_last4=card.last4)
        self._add(
            "authorization",
            amount,
            card_last4=card.last4,
            fails_capture=card.number == CAPTURE_FAILS_CARD,
            idempotency_key=idempotency_key,
            id=authorization.id,
        )
        return authorization

    def increase(
        self, authorization: Authorization, amount: Money, idempotency_key: str
    ) -> Authorization:
        row = self._authorization_row(authorization)
        earlier = self.session.execute(OPERATION_FOR_KEY, {"key": idempotency_key}).first()
        if earlier is None:
            if amount.currency != row.currency or amount.amount <= 0:
                raise PaymentDeclined(f"cannot hold {amount} more on this card")
            self._add("increment", amount, authorization_id=row.id, idempotency_key=idempotency_key)
        # PostgreSQL sums whole numbers as numeric: int() keeps amounts whole numbers.
        held = row.amount + int(row.increments) + (amount.amount if earlier is None else 0)
        return Authorization(
            id=row.id, amount=Money(held, row.currency), card_last4=row.card_last4 or ""
        )

    def capture(self, authorization: Authorization, amount: Money) -> Capture:
        row = self._authorization_row(authorization)
        if row.fails_capture:
            raise PaymentFailed(
                f"the bank of the card ending {row.card_last4} refused the payment when the "
                "shop accepted; nothing was charged for this part"
            )
        self._require_held(row, amount, "capture")
        capture_id = self._add("capture", amount, authorization_id=row.id)
        return Capture(id=capture_id, authorization_id=row.id, amount=amount)

    def void(self, authorization: Authorization, amount: Money) -> None:
        row = self._authorization_row(authorization)
        self._require_held(row, amount, "void")
        self._add("void", amount, authorization_id=row.id)

    def refund(
        self, capture: Capture, amount: Money, *, idempotency_key: str | None = None
    ) -> None:
        if idempotency_key is not None:
            if self.session.execute(OPERATION_FOR_KEY, {"key": idempotency_key}).first():
                return
        refunded = int(self.session.scalar(REFUNDED, {"capture_id": capture.id}) or 0)
        if refunded + amount.amount > capture.amount.amount:
            raise PaymentFailed(f"cannot refund {amount}: more than was captured")
        self._add(
            "refund",
            amount,
            authorization_id=capture.authorization_id,
            capture_id=capture.id,
            idempotency_key=idempotency_key,
        )

    # --- state ------------------------------------------------------------------------

    def _authorization_row(self, authorization: Authorization) -> Row[Any]:
        row = self.session.execute(AUTHORIZATION, {"id": authorization.id}).first()
        if row is None or row.kind != "authorization":
            raise PaymentFailed("this payment authorization is unknown to the provider")
        return row

    @staticmethod
    def _require_held(row: Row[Any], amount: Money, action: str) -> None:
        held = row.amount + int(row.increments)
        if amount.currency != row.currency or int(row.taken) + amount.amount > held:
            raise PaymentFailed(f"cannot {action} {amount}: the authorization does not hold it")

    def _add(self, kind: str, amount: Money, **fields: object) -> str:
        """Record an operation; return its id."""
        values: dict[str, object] = {
            "id": str(uuid.uuid4()),
            "kind": kind,
            "authorization_id": None,
            "capture_id": None,
            "amount": amount.amount,
            "currency": amount.currency,
            "card_last4": None,
            "fails_capture": False,
            "idempotency_key": None,
            "created_at": utcnow(),
            **fields,
        }
        # A Core insert, sent now within the caller's transaction, so it commits or rolls
        # back with the change it pays for, and the next sum of this provider counts it.
        self.session.execute(INSERT_OPERATION, [values])
        return str(values["id"])


def _authorization(row: Row[Any]) -> Authorization:
    return Authorization(
        id=row.id, amount=Money(row.amount, row.currency), card_last4=row.card_last4 or ""
    )
