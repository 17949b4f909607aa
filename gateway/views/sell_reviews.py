"""The seller portal's reviews and public answers: one answer per review, shown to all."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue

from gateway.clients import ServiceError
from gateway.forms.reviews import AnswerForm, answer_form
from gateway.pages.helpers import sentence, show_service_error
from gateway.pages.layout import render_page
from gateway.pages.reviews import page_arg, reviews_client
from gateway.pages.sell_common import require_shop

blueprint = Blueprint("reviews", __name__)
PER_PAGE = 20


@blueprint.get("/reviews")
def reviews() -> ResponseReturnValue:
    return _reviews_page(require_shop(), forms={})


@blueprint.post("/reviews/<review_id>/answer")
def answer(review_id: str) -> ResponseReturnValue:
    shop = require_shop()
    form = answer_form(review_id)
    back = url_for(".reviews", page=page_arg("page")) + f"#review-{review_id}"
    if form.validate_on_submit():
        try:
            reviews_client().answer(shop["id"], review_id, text=form.text.data or "")
        except ServiceError as error:
            if error.status == 404:
                abort(404, "There is no such review of your shop.")
            if error.status == 409:
                flash(sentence(error.message), "error")
                return redirect(back)
            show_service_error(form, error)
        else:
            flash("Your answer is published under the review.", "success")
            return redirect(back)
    return _reviews_page(shop, forms={review_id: form}, status=400)


def _reviews_page(
    shop: dict, *, forms: dict[str, AnswerForm], status: int = 200
) -> ResponseReturnValue:
    page = page_arg("page")
    found = reviews_client().shop_reviews(shop["id"], page=page, per_page=PER_PAGE)
    reviews = found.get("reviews", [])
    for review in reviews:
        if review.get("answer") is None and review["id"] not in forms:
            forms[review["id"]] = answer_form(review["id"])
    total = int(found.get("total", 0))
    return render_page(
        "reviews/sell_reviews.html",
        shop=shop,
        reviews=reviews,
        forms=forms,
        reputation=found.get("reputation") or {},
        total=total,
        page=page,
        has_next=page * PER_PAGE < total,
    ), status
