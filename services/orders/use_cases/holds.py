"""The money a checkout holds on the buyer's card, keyed by the buyer's checkout key.

Checkout authorizes in one transaction and writes the order in another (the provider is
called outside the order's transaction, as a remote provider would be). A process that
dies in between leaves an authorization without an order. So:

- the authorization is made under a provider key derived from the buyer's checkout key
  (`checkout:<buyer>:<key>:<attempt>`) and recorded here as a hold; a retry with the same
  key finds the open hold and reuses its authorization instead of holding the money twice;
- the order's transaction marks the hold as used (`order_id`), only while it is still open;
- a job of the orders worker voids every hold that has neither an order nor a void after a
  few minutes (ORDERS_ORPHAN_AUTHORIZATION_MINUTES), so a crash at any point holds nobody's
  money for long.

With the embedded provider the hold's row and the provider's own record commit together.
A remote provider called here would hold the money before our commit: if the process died
in that instant, the retry would still find the authorization at the provider by its key.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.orders import db
from services.orders.domain.money import Money
from services.orders.payments.port import (
    Authorization,
    Card,
    PaymentFailed,
    PaymentProvider,
    Payments,
)

log = logging.getLogger(__name__)
BATCH = 100

_holds = db.PaymentHold.__table__
_h = _holds.c
# Built once: every checkout runs them.
HOLDS_FOR_KEY = select(
    _h.key, _h.authorization_id, _h.amount, _h.currency, _h.card_last4, _h.order_id, _h.voided_at
).where(_h.buyer_user_id == bindparam("user_id"), _h.checkout_key == bindparam("checkout_key"))
INSERT_HOLD = insert(_holds)
USE_HOLD = (
    update(_holds)
    .where(
        _h.authorization_id == bindparam("used_authorization"),
        _h.order_id.is_(None),
        _h.voided_at.is_(None),
    )
    .values(order_id=bindparam("using_order"))
)


class HoldReleased(Exception):
    """The checkout's authorization was voided before its order was written."""


def hold(
    session_factory: sessionmaker,
    payments: Payments,
    *,
    user_id: str,
    checkout_key: str,
    amount: Money,
    card: Card,
    now: datetime,
) -> Authorization:
    """Authorize `amount` for the buyer's checkout, or reuse the open hold of the same key
    and amount. A declined card raises PaymentDeclined and holds nothing."""
    try:
        return _hold(session_factory, payments, user_id, checkout_key, amount, card, now)
    except IntegrityError:
        # A concurrent request with the same key made the same hold first: reuse it.
        return _hold(session_factory, payments, user_id, checkout_key, amount, card, now)


def _hold(
    session_factory: sessionmaker,
    payments: Payments,
    user_id: str,
    checkout_key: str,
    amount: Money,
    card: Card,
    now: datetime,
) -> Authorization:
    params = {"user_id": user_id, "checkout_key": checkout_key}
    with session_factory.begin() as session:
        provider = payments(session)
        earlier = session.execute(HOLDS_FOR_KEY, params).all()
        for row in earlier:
            if row.order_id is not None or row.voided_at is not None:
                continue  # used by an order (the caller finds it by its key), or released
            held = Money(row.amount, row.currency)
            if held == amount:
                return Authorization(row.authorization_id, held, row.card_last4 or "")
            # The cart's total changed since that attempt: its hold is released now.
            _void(session, provider, row.key, row.authorization_id, held, now=now)
        # A new provider key for each attempt whose hold was released: the provider would
        # answer an old key with the released authorization.
        key = f"checkout:{user_id}:{checkout_key}:{len(earlier) + 1}"
        authorization = provider.authorize(amount, card, key)
        session.execute(
            INSERT_HOLD,
            [
                {
                    "key": key,
                    "buyer_user_id": user_id,
                    "checkout_key": checkout_key,
                    "authorization_id": authorization.id,
                    "amount": amount.amount,
                    "currency": amount.currency,
                    "card_last4": authorization.card_last4,
                    "created_at": now,
                }
            ],
        )
    return authorization


def use(session: Session, authorization: Authorization, *, order_id: str) -> None:
    """Within the order's transaction: the hold now pays for this order. Raises
    HoldReleased when the orphan job voided it meanwhile."""
    values = {"used_authorization": authorization.id, "using_order": order_id}
    result = session.execute(USE_HOLD, values)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise HoldReleased(authorization.id)


def release(
    session_factory: sessionmaker,
    payments: Payments,
    authorization: Authorization,
    *,
    now: datetime,
) -> None:
    """Void a hold whose order was not written, unless an order uses it after all (a
    concurrent request with the same key wrote its order with it)."""
    try:
        with session_factory.begin() as session:
            row = session.execute(
                select(_h.key, _h.order_id, _h.voided_at)
                .where(_h.authorization_id == authorization.id)
                .with_for_update()
            ).first()
            if row is None or row.order_id is not None or row.voided_at is not None:
                return
            _void(
                session, payments(session), row.key, authorization.id, authorization.amount, now=now
            )
    except Exception:
        # The orphan job voids it within minutes.
        log.exception("could not void an unused authorization", extra={"id": authorization.id})


def void_orphans(
    session_factory: sessionmaker, payments: Payments, *, now: datetime, older_than: timedelta
) -> int:
    """Void every hold older than `older_than` that no order uses; return how many."""
    with session_factory() as session:
        keys = list(
            session.scalars(
                select(_h.key)
                .where(
                    _h.order_id.is_(None), _h.voided_at.is_(None), _h.created_at <= now - older_than
                )
                .order_by(_h.created_at)
                .limit(BATCH)
            )
        )
    voided = 0
    for key in keys:
        with session_factory.begin() as session:
            # Locked, so the order's transaction and this job cannot both have the hold.
            row = session.execute(select(_holds).where(_h.key == key).with_for_update()).first()
            if row is None or row.order_id is not None or row.voided_at is not None:
                continue
            held = Money(row.amount, row.currency)
            _void(session, payments(session), key, row.authorization_id, held, now=now)
            log.warning(
                "voided an authorization no order used",
                extra={"id": row.authorization_id, "checkout_key": row.checkout_key},
            )
            voided += 1
    return voided


def _void(
    session: Session,
    provider: PaymentProvider,
    key: str,
    authorization_id: str,
    amount: Money,
    *,
    now: datetime,
) -> None:
    try:
        provider.void(Authorization(authorization_id, amount, ""), amount)
    except PaymentFailed:
        # Nothing left to void (released already at the provider): the hold is closed all
        # the same, so it is not tried again.
        log.warning("void refused for an unused authorization", extra={"id": authorization_id})
    session.execute(update(_holds).where(_h.key == key).values(voided_at=now))
