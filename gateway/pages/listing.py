"""A listing's page: the item, its photos and other shops' offers of the same book. Shown by
the shop's views, and again by a question's form that needs correcting."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.forms import AddToCartForm
from gateway.identity import catalog_client
from gateway.pages.ship_to import shopper_country


def listing_page(listing_id: str, form: AddToCartForm, *, status: int = 200) -> ResponseReturnValue:
    try:
        item = catalog_client().listing(listing_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "This listing is gone: it sold out or the shop took it down.")
        raise
    others, others_note = _other_offers(item)
    photos = [url for url in item.get("photos") or [] if _is_web_url(url)]
    return render_template(
        "shop/listing.html",
        item=item,
        shop=item.get("shop") or {},
        photos=photos,
        images=item.get("images") or [],
        others=others,
        others_note=others_note,
        form=form,
    ), status


def _other_offers(item: dict) -> tuple[list[dict], str | None]:
    work_id = item.get("work_id")
    if not work_id:
        return [], None
    try:
        offers = catalog_client().offers(str(work_id), country=shopper_country())
    except (ServiceError, ServiceUnavailable):
        return [], "Other shops' offers for this book cannot be shown right now."
    this = item.get("listing_id") or item.get("id")
    return [offer for offer in cheapest_first(offers) if offer.get("listing_id") != this], None


def _is_web_url(url: object) -> bool:
    # Only http(s) images: a "javascript:" or "data:" source from a listing is never shown.
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


def cheapest_first(offers: list[dict]) -> list[dict]:
    def cost(offer: dict) -> tuple[int, int]:
        total = offer.get("total") or offer.get("price") or {}
        return int(total.get("amount", 0)), int((offer.get("price") or {}).get("amount", 0))

    return sorted(offers, key=cost)
