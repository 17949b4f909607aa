"""HTTP entry points for a shop's side of the money: statement, CSV, orders summary.

Only the shop's members, as the shops service last said (services/orders/membership.py), may
read them; anyone else gets 404, as if the shop had no statement at all.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify

from services.common.db import reading
from services.common.openapi import describe
from services.common.runtime import Runtime
from services.common.web import require_principal
from services.orders import billing, membership
from services.orders.api_docs import OrdersSummaryOut, StatementOut, spec
from services.orders.bootstrap import orders_settings

bp = Blueprint("billing", __name__)


def _member_of(shop_id: str) -> None:
    with reading(_runtime().session_factory) as session:
        if not membership.is_member(session, require_principal(), shop_id):
            abort(404, "no such shop among yours")


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


@bp.get("/shops/<shop_id>/statement")
@describe(spec, tag="billing", answer=StatementOut)
def statement(shop_id: str) -> Response:
    _member_of(shop_id)
    with _runtime().session_factory() as session:
        found = billing.statement(session, shop_id)
    # The rate of the next sale, so the shop can read its commission where its money is;
    # each past sale kept the rate of its day (the ledger holds what was actually taken).
    found["commission_bps"] = orders_settings(_runtime()).commission_bps
    return jsonify(found)


@bp.get("/shops/<shop_id>/statement.csv")
@describe(spec, tag="billing")
def statement_csv(shop_id: str) -> Response:
    _member_of(shop_id)
    with _runtime().session_factory() as session:
        body = billing.statement_csv(session, shop_id)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="statement-{shop_id}.csv"'},
    )


@bp.get("/shops/<shop_id>/orders-summary")
@describe(spec, tag="billing", answer=OrdersSummaryOut)
def orders_summary(shop_id: str) -> Response:
    _member_of(shop_id)
    with _runtime().session_factory() as session:
        return jsonify(billing.orders_summary(session, shop_id))
