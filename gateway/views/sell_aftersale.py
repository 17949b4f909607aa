"""After the sale, the shop's side in the portal: its cases, answering one (ask for the
parcel back with an address, or refund in full or in part), and refunding on its own at any
time after the payment was taken."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from gateway import identity
from gateway.clients import ServiceError
from gateway.forms.aftersale import RefundForm, ReturnAddressForm
from gateway.pages.aftersale import shop_client
from gateway.pages.layout import render_page
from gateway.pages.sell_common import require_shop

log = logging.getLogger(__name__)
blueprint = Blueprint("sell_aftersale", __name__)


@blueprint.app_template_global()
def shop_aftersale_forms(part_id: str) -> dict:
    return {
        "return": ReturnAddressForm(prefix=f"return-{part_id}"),
        "refund": RefundForm(prefix=f"refund-{part_id}"),
        "own_refund": RefundForm(prefix=f"own-refund-{part_id}"),
    }


def _shop_of(part_id: str) -> dict:
    """The person's shop that the part belongs to."""
    for shop in identity.my_shops():
        try:
            shop_client().shop_part(shop["id"], part_id)
        except ServiceError as error:
            if error.status != 404:
                raise
            continue
        return shop
    abort(404, "There is no such order in your shop.")


def _back(part_id: str) -> ResponseReturnValue:
    return redirect(url_for("sell.order", shop_order_id=part_id) + "#aftersale")


def _refused(error: ServiceError) -> None:
    if error.status == 404:
        abort(404, "There is no such order in your shop.")
    flash(error.message, "error")


def _errors(form) -> str:  # noqa: ANN001
    return " ".join(message for messages in form.errors.values() for message in messages)


@blueprint.get("/cases")
def cases() -> ResponseReturnValue:
    shop = require_shop()
    found = shop_client().shop_cases(shop["id"])
    return render_page("aftersale/sell_cases.html", shop=shop, cases=found.get("cases", []))


@blueprint.post("/orders/<part_id>/cases/<case_id>/return")
def ask_return(part_id: str, case_id: str) -> ResponseReturnValue:
    shop = _shop_of(part_id)
    form = ReturnAddressForm(prefix=f"return-{part_id}")
    if not form.validate_on_submit():
        flash(_errors(form), "error")
        return _back(part_id)
    try:
        shop_client().ask_return(
            shop["id"], case_id, address=form.address.data or "", message=form.message.data or ""
        )
    except ServiceError as error:
        _refused(error)
    else:
        flash("The buyer is asked to send the parcel back to your address.", "success")
    return _back(part_id)


@blueprint.post("/orders/<part_id>/cases/<case_id>/refund")
def refund_case(part_id: str, case_id: str) -> ResponseReturnValue:
    shop = _shop_of(part_id)
    form = RefundForm(prefix=f"refund-{part_id}")
    if not form.validate_on_submit():
        flash(_errors(form), "error")
        return _back(part_id)
    try:
        shop_client().refund_case(shop["id"], case_id, **form.body())
    except ServiceError as error:
        _refused(error)
    else:
        flash("Refunded: the buyer sees it on the order, and it is on your statement.", "success")
    return _back(part_id)


@blueprint.post("/orders/<part_id>/refund")
def refund_part(part_id: str) -> ResponseReturnValue:
    shop = _shop_of(part_id)
    form = RefundForm(prefix=f"own-refund-{part_id}")
    if not form.validate_on_submit():
        flash(_errors(form), "error")
        return _back(part_id)
    try:
        shop_client().refund_part(shop["id"], part_id, **form.body())
    except ServiceError as error:
        _refused(error)
    else:
        flash("Refunded: the buyer sees it on the order, and it is on your statement.", "success")
    return _back(part_id)


@blueprint.post("/reviews/<review_id>/report")
def report_review(review_id: str) -> ResponseReturnValue:
    shop = require_shop()
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        flash("Say why the platform should look at this review.", "error")
    else:
        try:
            shop_client().shop_reports_review(shop["id"], review_id, reason=reason[:2000])
        except ServiceError as error:
            _refused(error)
        else:
            flash("Reported: the platform will look at this review.", "success")
    return redirect(url_for("sell.reviews.reviews") + f"#review-{review_id}")
