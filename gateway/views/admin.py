"""The operator's pages at /admin/: disputes, reported reviews, shops, and the audit log.

Only an operator's account opens them; for everyone else, signed in or not, they do not
exist (404). The gateway's check is a courtesy: every service checks the operator's own
token again (services/common/web.py, require_operator), and a person's token opens none of
their routes. An operator in turn never gets a person's token, so the shopper's and the
seller's pages are closed to them here (403).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from gateway import identity
from gateway.clients import ServiceError
from gateway.clients.operator import OperatorOrdersClient, OperatorShopsClient
from gateway.forms.aftersale import DecisionForm, ReasonForm
from gateway.pages.gather import Ask, Gathered
from gateway.pages.layout import gather_page, page_context, render_page

blueprint = Blueprint("admin", __name__)

# What an operator's account may not open: it neither shops nor sells.
_NOT_FOR_OPERATORS = ("/sell", "/cart", "/checkout", "/orders", "/guest")


def is_operator() -> bool:
    return bool(current_user.is_authenticated and getattr(current_user, "is_operator", False))


@blueprint.before_app_request
def keep_operators_out_of_shops() -> None:
    # The path first: loading the person costs a query, which most pages need not pay here.
    if request.path.startswith(_NOT_FOR_OPERATORS) and is_operator():
        abort(403, "An operator's account runs the platform: it does not shop or sell.")


@blueprint.before_request
def operators_only() -> None:
    if not is_operator():
        abort(404)


def orders() -> OperatorOrdersClient:
    return identity.operator_client_of(OperatorOrdersClient, "orders")


def shops() -> OperatorShopsClient:
    return identity.operator_client_of(OperatorShopsClient, "shops")


@blueprint.app_template_global()
def operator_signed_in() -> bool:
    return is_operator()


@blueprint.get("/")
def home() -> ResponseReturnValue:
    client = orders()
    found = gather_page(
        {
            "disputes": Ask(client.disputes, "the disputes"),
            "reports": Ask(client.review_reports, "the reported reviews"),
            **_audit_asks(),
        }
    )
    context = {
        "open_disputes": _open_count(found["disputes"]),
        "open_reports": _open_count(found["reports"]),
        "actions": _audit(found)[:10],
    }
    return render_template("admin/home.html", **page_context(found, context))


def _open_count(found: dict | None) -> int | None:
    return None if found is None else len(found.get("open", []))


@blueprint.get("/disputes")
def disputes() -> ResponseReturnValue:
    return render_page("admin/disputes.html", found=orders().disputes())


@blueprint.route("/disputes/<case_id>", methods=["GET", "POST"])
def dispute(case_id: str) -> ResponseReturnValue:
    form = DecisionForm(prefix="decision")
    if form.validate_on_submit():
        body = form.body()
        body.pop("message", None)
        body |= {"decision": form.decision.data, "reason": form.reason.data}
        if form.decision.data == "close":
            body = {"decision": "close", "reason": form.reason.data}
        try:
            orders().decide(case_id, **body)
        except ServiceError as error:
            if error.status == 404:
                abort(404, "There is no such dispute.")
            flash(error.message, "error")
        else:
            flash("Decided. Both sides read your reason on their pages.", "success")
            return redirect(url_for("admin.dispute", case_id=case_id))
    try:
        found = orders().dispute(case_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such dispute.")
        raise
    status = 400 if form.errors else 200
    return render_page("admin/dispute.html", case=found, form=form), status


@blueprint.get("/reviews")
def reviews() -> ResponseReturnValue:
    return render_page("admin/reviews.html", found=orders().review_reports(), form=ReasonForm)


@blueprint.post("/reviews/<report_id>/<outcome>")
def decide_review(report_id: str, outcome: str) -> ResponseReturnValue:
    if outcome not in ("hide", "keep"):
        abort(404)
    form = ReasonForm(prefix=f"review-{report_id}")
    if not form.validate_on_submit():
        flash("Give a reason for your decision.", "error")
        return redirect(url_for("admin.reviews"))
    try:
        orders().decide_review(report_id, outcome=outcome, reason=form.reason.data or "")
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash("Hidden." if outcome == "hide" else "Kept.", "success")
    return redirect(url_for("admin.reviews"))


@blueprint.get("/shops")
def shop_list() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()[:200]
    return render_page(
        "admin/shops.html",
        shops=shops().shops(query).get("shops", []),
        query=query,
        form=ReasonForm,
    )


@blueprint.post("/shops/<shop_id>/<change>")
def change_shop(shop_id: str, change: str) -> ResponseReturnValue:
    if change not in ("suspend", "reinstate"):
        abort(404)
    form = ReasonForm(prefix=f"{change}-{shop_id}")
    if not form.validate_on_submit():
        flash("Give a reason: the shop reads it.", "error")
        return redirect(url_for("admin.shop_list", q=request.args.get("q", "")))
    client = shops()
    try:
        if change == "suspend":
            found = client.suspend(shop_id, reason=form.reason.data or "")
        else:
            found = client.reinstate(shop_id, reason=form.reason.data or "")
    except ServiceError as error:
        if error.status == 404:
            abort(404, "There is no such shop.")
        flash(error.message, "error")
    else:
        flash(
            f"{found['name']} is {'suspended' if change == 'suspend' else 'reinstated'}.",
            "success",
        )
    return redirect(url_for("admin.shop_list", q=request.args.get("q", "")))


def _audit_asks() -> dict[str, Ask]:
    """Each service's record of operator actions, asked at once."""
    return {f"audit-{client.service}": Ask(client.audit, "") for client in (orders(), shops())}


def _audit(found: Gathered) -> list[dict]:
    """The records gathered, newest first; a service that did not answer shows as a row."""
    actions: list[dict] = []
    for service in ("orders", "shops"):
        answer = found[f"audit-{service}"]
        if answer is not None:
            actions.extend(answer.get("actions", []))
            continue
        actions.append(
            {
                "service": service,
                "action": "unavailable",
                "at": "",
                "reason": "",
                "subject": "",
                "operator_name": "",
            }
        )
    return sorted(actions, key=lambda action: action.get("at") or "", reverse=True)


@blueprint.get("/audit")
def audit() -> ResponseReturnValue:
    found = gather_page(_audit_asks())
    return render_template("admin/audit.html", **page_context(found, {"actions": _audit(found)}))
