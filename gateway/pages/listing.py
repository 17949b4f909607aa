"""A listing's page: the item, its photos and other shops' offers of the same book. Shown by
the shop's views, and again by a question's form that needs correcting."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from gateway import identity
from gateway.clients import ServiceError, ServiceUnavailable
from gateway.forms import AddToCartForm
from gateway.forms.messages import MessageForm, message_form
from gateway.identity import catalog_client
from gateway.pages.followed import favourite_shop_ids, followed_ask
from gateway.pages.gather import Ask
from gateway.pages.layout import gather_page, page_context
from gateway.pages.ship_to import shopper_country

ASK_FORM = "ask"


def listing_page(
    listing_id: str,
    form: AddToCartForm,
    *,
    ask_form: MessageForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    try:
        item = catalog_client().listing(listing_id)
    except ServiceError as error:
        if error.status == 404:
            abort(404, "This listing is gone: it sold out or the shop took it down.")
        raise
    shop = item.get("shop") or {}
    shop_id = item.get("shop_id") or shop.get("id")
    found = gather_page({"offers": _other_offers_ask(item), **followed_ask([shop_id])})
    photos = [url for url in item.get("photos") or [] if _is_web_url(url)]
    this = item.get("listing_id") or item.get("id")
    offers = found["offers"]
    context = {
        "item": item,
        "shop": shop,
        "photos": photos,
        "images": item.get("images") or [],
        "others": [o for o in cheapest_first(offers or []) if o.get("listing_id") != this],
        "others_note": (
            "Other shops' offers for this book cannot be shown right now."
            if offers is None
            else None
        ),
        "form": form,
        "ask_form": ask_form or message_form(ASK_FORM, label="Your question"),
        # A member of the listing's shop answers questions rather than asking them.
        "own_shop": bool(shop_id) and str(shop_id) in _my_shop_ids(),
        "favourite_shop_ids": favourite_shop_ids(),
    }
    return render_template("shop/listing.html", **page_context(found, context)), status


def _other_offers_ask(item: dict) -> Ask:
    work_id = item.get("work_id")
    if not work_id:
        return Ask(list, "")
    client = catalog_client()
    country = shopper_country()
    # Said beside the offers (`others_note`), not at the top of the page.
    return Ask(lambda: client.offers(str(work_id), country=country), "")


def _my_shop_ids() -> list[str]:
    if not current_user.is_authenticated:
        return []
    try:
        return identity.my_shop_ids()
    except (ServiceError, ServiceUnavailable):
        return []


def _is_web_url(url: object) -> bool:
    # Only http(s) images: a "javascript:" or "data:" source from a listing is never shown.
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


def cheapest_first(offers: list[dict]) -> list[dict]:
    def cost(offer: dict) -> tuple[int, int]:
        total = offer.get("total") or offer.get("price") or {}
        return int(total.get("amount", 0)), int((offer.get("price") or {}).get("amount", 0))

    return sorted(offers, key=cost)
