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

from sqlalchemy import Row, bindparam, func, insert, select
from sqlalchemy.orm import Session

from services.common.messaging.tables import utcnow
from services.orders.db import EmbeddedPaymentOperation
from services.orders.domain.money import Money
from services.orders.payments.port import (
    Authorization,
    Capture,
    Card,
    PaymentDeclined,
    PaymentFailed,
)

# Built once: every checkout runs them, and building a statement costs more than running
# it. On the table rather than the mapped class: plain Core skips the ORM's loading steps.
_operations = EmbeddedPaymentOperation.__table__
AUTHORIZATION_FOR_KEY = select(
    _operations.c.id, _operations.c.amount, _operations.c.currency, _operations.c.card_last4
).where(_operations.c.idempotency_key == bindparam("key"))
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
        # A Core insert, sent now within the caller's transaction: every checkout
        # authorizes, and the unit of work's flush would cost more than the insert.
        self.session.execute(
            INSERT_OPERATION,
            [
                {
                    "id": authorization.id,
                    "kind": "authorization",
                    "authorization_id": None,
                    "capture_id": None,
                    "amount": amount.amount,
                    "currency": amount.currency,
                    "card_last4": card.last4,
                    "fails_capture": card.number == CAPTURE_FAILS_CARD,
                    "idempotency_key": idempotency_key,
                    "created_at": utcnow(),
                }
            ],
        )
        return authorization

    def increase(
        self, authorization: Authorization, amount: Money, idempotency_key: str
    ) -> Authorization:
        row = self._authorization_row(authorization)
        earlier = self.session.scalar(
            select(EmbeddedPaymentOperation).where(
                EmbeddedPaymentOperation.idempotency_key == idempotency_key
            )
        )
        if earlier is None:
            if amount.currency != row.currency or amount.amount <= 0:
                raise PaymentDeclined(f"cannot hold {amount} more on this card")
            self._add("increment", amount, authorization_id=row.id, idempotency_key=idempotency_key)
        held = row.amount + self._sum("increment", authorization_id=row.id)
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
        capture = self._add("capture", amount, authorization_id=row.id)
        return Capture(id=capture.id, authorization_id=row.id, amount=amount)

    def void(self, authorization: Authorization, amount: Money) -> None:
        row = self._authorization_row(authorization)
        self._require_held(row, amount, "void")
        self._add("void", amount, authorization_id=row.id)

    def refund(self, capture: Capture, amount: Money) -> None:
        refunded = self._sum("refund", capture_id=capture.id)
        if refunded + amount.amount > capture.amount.amount:
            raise PaymentFailed(f"cannot refund {amount}: more than was captured")
        self._add(
            "refund", amount, authorization_id=capture.authorization_id, capture_id=capture.id
        )

    # --- state ------------------------------------------------------------------------

    def _authorization_row(self, authorization: Authorization) -> EmbeddedPaymentOperation:
        row = self.session.get(EmbeddedPaymentOperation, authorization.id)
        if row is None or row.kind != "authorization":
            raise PaymentFailed("this payment authorization is unknown to the provider")
        return row

    def _require_held(self, row: EmbeddedPaymentOperation, amount: Money, action: str) -> None:
        # One query for every kind of operation on the authorization, summed per kind.
        op = EmbeddedPaymentOperation
        sums = dict(
            self.session.execute(
                select(op.kind, func.sum(op.amount))
                .where(op.authorization_id == row.id)
                .group_by(op.kind)
            ).all()
        )
        taken = int(sums.get("capture") or 0) + int(sums.get("void") or 0)
        # Increments (extra charges the buyer accepted) add to what the authorization holds.
        held = row.amount + int(sums.get("increment") or 0)
        if amount.currency != row.currency or taken + amount.amount > held:
            raise PaymentFailed(f"cannot {action} {amount}: the authorization does not hold it")

    def _sum(self, kind: str, **where: str) -> int:
        query = select(func.coalesce(func.sum(EmbeddedPaymentOperation.amount), 0)).where(
            EmbeddedPaymentOperation.kind == kind
        )
        for column, value in where.items():
            query = query.where(getattr(EmbeddedPaymentOperation, column) == value)
        return int(self.session.scalar(query) or 0)

    def _add(self, kind: str, amount: Money, **fields: object) -> EmbeddedPaymentOperation:
        row = EmbeddedPaymentOperation(
            id=str(uuid.uuid4()),
            kind=kind,
            amount=amount.amount,
            currency=amount.currency,
            created_at=utcnow(),
            **fields,
        )
        # Written with the caller's next flush, together with the change it pays for; any
        # query of this provider flushes it first (autoflush), so its sums always count it.
        self.session.add(row)
        return row


def _authorization(row: EmbeddedPaymentOperation | Row[Any]) -> Authorization:
    return Authorization(
        id=row.id, amount=Money(row.amount, row.currency), card_last4=row.card_last4 or ""
    )
