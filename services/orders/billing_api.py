"""HTTP entry points for a shop's side of the money: statement, CSV, orders summary.

Only the shop's members, as the shops service last said (services/orders/membership.py), may
read them; anyone else gets 404, as if the shop had no statement at all.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify

from services.common.db import reading
from services.common.runtime import Runtime
from services.common.web import require_principal
from services.orders import billing, membership

bp = Blueprint("billing", __name__)


def _member_of(shop_id: str) -> None:
    with reading(_runtime().session_factory) as session:
        if not membership.is_member(session, require_principal(), shop_id):
            abort(404, "no such shop among yours")


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


@bp.get("/shops/<shop_id>/statement")
def statement(shop_id: str) -> Response:
    _member_of(shop_id)
    with _runtime().session_factory() as session:
        return jsonify(billing.statement(session, shop_id))


@bp.get("/shops/<shop_id>/statement.csv")
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
def orders_summary(shop_id: str) -> Response:
    _member_of(shop_id)
    with _runtime().session_factory() as session:
        return jsonify(billing.orders_summary(session, shop_id))
