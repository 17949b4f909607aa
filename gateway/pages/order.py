"""The shopper's order page, shown by the orders views and again by a part's message form
that needs correcting."""

from __future__ import annotations

from flask import abort, render_template

from gateway.clients import ServiceError
from gateway.identity import orders_client


def order_page(order_id: str) -> str:
    try:
        found = orders_client().order(order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such order among yours.")
        raise
    return render_template("shop/order.html", order=found)
