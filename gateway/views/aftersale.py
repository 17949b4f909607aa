"""After the sale, the buyer's side: report a problem with a shipped part, follow its case
(send the parcel back, ask the platform to decide), and see every refund on the order page.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from gateway import identity
from gateway.clients import ServiceError
from gateway.forms.aftersale import EscalateForm, ReportForm, ReturnSentForm
from gateway.pages.aftersale import buyer_client
from gateway.pages.helpers import show_service_error
from gateway.pages.layout import render_page

log = logging.getLogger(__name__)
blueprint = Blueprint("aftersale", __name__)


@blueprint.app_template_global()
def aftersale_forms(part_id: str) -> dict:
    """The forms a case offers the buyer, with ids of the part's own."""
    return {
        "sent": ReturnSentForm(prefix=f"sent-{part_id}"),
        "escalate": EscalateForm(prefix=f"escalate-{part_id}"),
    }


def _back(order_id: str, part_id: str) -> ResponseReturnValue:
    return redirect(url_for("orders.order", order_id=order_id) + f"#aftersale-{part_id}")


def _order_and_part(order_id: str, part_id: str) -> tuple[dict, dict]:
    try:
        order = identity.orders_client().order(order_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such order among yours.")
        raise
    part = next((p for p in order.get("parts", []) if p.get("shop_order_id") == part_id), None)
    if part is None:
        abort(404, "There is no such part in this order.")
    return order, part


@blueprint.route("/orders/<order_id>/parts/<part_id>/problem", methods=["GET", "POST"])
@login_required
def report(order_id: str, part_id: str) -> ResponseReturnValue:
    order, part = _order_and_part(order_id, part_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            buyer_client().report(
                order_id, part_id, reason=form.reason.data or "", message=form.message.data or ""
            )
        except ServiceError as error:
            if error.status == 404:
                abort(404, "There is no such order among yours.")
            show_service_error(form, error)
        else:
            flash(
                f"Your report is sent to {part['shop_name']}. The shop answers on this page "
                "and in your messages.",
                "success",
            )
            return _back(order_id, part_id)
    status = 400 if form.errors else 200
    return render_page("aftersale/report.html", order=order, part=part, form=form), status


@blueprint.post("/orders/<order_id>/parts/<part_id>/cases/<case_id>/return-sent")
@login_required
def return_sent(order_id: str, part_id: str, case_id: str) -> ResponseReturnValue:
    form = ReturnSentForm(prefix=f"sent-{part_id}")
    if not form.validate_on_submit():
        flash("Check the carrier and tracking number: " + _errors(form), "error")
        return _back(order_id, part_id)
    return _step(
        lambda: buyer_client().return_sent(
            order_id,
            part_id,
            case_id,
            carrier=form.carrier.data or "",
            tracking_number=form.tracking_number.data or "",
        ),
        order_id,
        part_id,
        "Thank you: the shop is told the parcel is on its way back.",
    )


@blueprint.post("/orders/<order_id>/parts/<part_id>/cases/<case_id>/escalate")
@login_required
def escalate(order_id: str, part_id: str, case_id: str) -> ResponseReturnValue:
    form = EscalateForm(prefix=f"escalate-{part_id}")
    if not form.validate_on_submit():
        flash(_errors(form), "error")
        return _back(order_id, part_id)
    return _step(
        lambda: buyer_client().escalate(
            order_id, part_id, case_id, message=form.message.data or ""
        ),
        order_id,
        part_id,
        "The platform will look at this case and decide; both you and the shop read why.",
    )


@blueprint.post("/reviews/<review_id>/report")
@login_required
def report_review(review_id: str) -> ResponseReturnValue:
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        flash("Say why the platform should look at this review.", "error")
    else:
        try:
            buyer_client().report_review(review_id, reason=reason[:2000])
        except ServiceError as error:
            flash(error.message, "error")
        else:
            flash("Thank you: the platform will look at this review.", "success")
    # Back to the page the report came from, when it is one of ours.
    back = request.referrer or ""
    if not back.startswith(request.host_url):
        back = url_for("shop.home")
    return redirect(back)


def _step(call, order_id: str, part_id: str, done: str) -> ResponseReturnValue:  # noqa: ANN001
    try:
        call()
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such case among yours.")
        flash(error.message, "error")
    else:
        flash(done, "success")
    return _back(order_id, part_id)


def _errors(form) -> str:  # noqa: ANN001
    return " ".join(message for messages in form.errors.values() for message in messages)
