"""CSV downloads of the shop's inventory, orders and customers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import Blueprint, Response
from sqlalchemy.orm import sessionmaker

from services.common.openapi import describe
from services.common.web import require_principal
from services.shops import exports
from services.shops.api.common import runtime, transaction
from services.shops.api.docs import ERRORS, spec
from services.shops.handlers.shops import member_shop

blueprint = Blueprint("exports", __name__)
Export = Callable[[sessionmaker, str], Iterator[str]]


def _download(shop_id: str, name: str, export: Export) -> Response:
    principal = require_principal()
    with transaction() as session:
        shop = member_shop(session, shop_id=shop_id, user_id=principal.user_id)
    return Response(
        export(runtime().session_factory, shop.id),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{shop.slug}-{name}"'},
    )


@blueprint.get("/shops/<shop_id>/export/inventory.csv")
@describe(spec, tag="exports", errors=ERRORS, as_is=True)
def inventory(shop_id: str) -> Response:
    return _download(shop_id, "inventory.csv", exports.inventory)


@blueprint.get("/shops/<shop_id>/export/orders.csv")
@describe(spec, tag="exports", errors=ERRORS, as_is=True)
def orders(shop_id: str) -> Response:
    return _download(shop_id, "orders.csv", exports.orders)


@blueprint.get("/shops/<shop_id>/export/customers.csv")
@describe(spec, tag="exports", errors=ERRORS, as_is=True)
def customers(shop_id: str) -> Response:
    return _download(shop_id, "customers.csv", exports.customers)
