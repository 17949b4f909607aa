"""The JSON shapes of the catalog's API (docs/api.md describes each)."""

from __future__ import annotations

from services.catalog.db import IndexedShop
from services.catalog.search.port import SearchDocument, SearchHit
from services.catalog.works import Offer, Work
from services.common import shipping as shipping_rule


def money(amount: int, currency: str) -> dict[str, object]:
    return {"amount": amount, "currency": currency}


def listing(document: SearchDocument) -> dict[str, object]:
    return {
        "listing_id": document.listing_id,
        "work_id": document.work_id,
        "shop_id": document.shop_id,
        "shop_name": document.shop_name,
        "shop_country": document.shop_country,
        # The shop's town only: its street is for those who collect an order in person.
        "shop_town": document.shop_town,
        "title": document.title,
        "author": document.author,
        "isbn": document.isbn,
        "publisher": document.publisher,
        "year": document.year,
        "binding": document.binding,
        "categories": list(document.categories),
        "condition": document.condition,
        "price": money(document.price_amount, document.price_currency),
        "quantity": document.quantity,
        "created_at": document.created_at.isoformat(),
        # The cover photo (ListingImage's fields) for cards and lines; None without one.
        "cover": document.images[0] if document.images else None,
        **shop_rating(document),
    }


def shop_rating(document: SearchDocument) -> dict[str, object]:
    """The shop's average rating (None before its first review) and its number of reviews."""
    return {
        "shop_rating": document.shop_rating if document.shop_reviews else None,
        "shop_reviews": document.shop_reviews,
    }


def hit(
    found: SearchHit,
    offers: int,
    *,
    ship_to: str | None = None,
    near: tuple[float, float] | None = None,
) -> dict[str, object]:
    document = found.document
    quote = document.landed_quote_to(ship_to) if ship_to else None
    landed = None if quote is None else document.price_amount + quote.amount
    distance = document.distance_km(near)
    return {
        **listing(document),
        "offers_count": offers,
        # Price with the cheapest service to the shopper's country; None without one.
        "landed_price": None if landed is None else money(landed, document.price_currency),
        "shipping_service": None if quote is None else quote.service_name,
        "distance_km": None if distance is None else round(distance, 1),
        "photo": found.document.photos[0] if found.document.photos else None,
        "highlight": {"title": found.highlight.title, "author": found.highlight.author},
    }


def detail(document: SearchDocument, shop: IndexedShop | None, offers: int) -> dict[str, object]:
    shipping = document.shipping
    rates = shipping_rule.legacy_rates(shipping.profile) if shipping is not None else {}
    return {
        **listing(document),
        "offers_count": offers,
        "description": document.description,
        "condition_notes": document.condition_notes,
        "photos": list(document.photos),
        "images": list(document.images),
        "shipping": None
        if shipping is None
        else {
            "domestic_first": money(rates["domestic_first"] or 0, shipping.currency),
            "international_first": money(rates["international_first"] or 0, shipping.currency),
            # The whole profile, to show every region and service.
            "profile": shipping.as_stored(),
        },
        "updated_at": document.updated_at.isoformat(),
        "shop": shop_json(shop),
    }


def shop_json(shop: IndexedShop | None) -> dict[str, object] | None:
    if shop is None:
        return None
    return {
        "id": shop.shop_id,
        "slug": shop.slug,
        "name": shop.name,
        "signature": shop.signature,
        "country": shop.country,
        "about": shop.about,
        "on_vacation": shop.on_vacation,
        # The town alone (and its coordinates, for the distance): the street is told only
        # to a buyer who collects an order in person.
        "town": (shop.location or {}).get("town"),
        "latitude": (shop.location or {}).get("latitude"),
        "longitude": (shop.location or {}).get("longitude"),
        "logo": shop.logo,
        "banner": shop.banner,
        "reputation": {
            "average": shop.rating_average,
            "count": shop.rating_count,
            "positive_share": shop.rating_positive_share,
        },
    }


def work(found: Work) -> dict[str, object]:
    return {
        "work_id": found.work_id,
        "title": found.title,
        "author": found.author,
        "isbn": found.isbn,
        "publisher": found.publisher,
        "year": found.year,
        "offers_count": found.offers,
        "lowest_price": money(found.lowest_price, found.currency),
    }


def offer(found: Offer) -> dict[str, object]:
    document = found.document
    shipping_currency = document.shipping.currency if document.shipping else document.price_currency
    total = found.total
    return {
        "listing_id": document.listing_id,
        "shop_id": document.shop_id,
        "shop_name": document.shop_name,
        "shop_country": document.shop_country,
        "condition": document.condition,
        "price": money(document.price_amount, document.price_currency),
        "shipping": None if found.shipping is None else money(found.shipping, shipping_currency),
        "ships_domestic": found.domestic,
        # The cheapest service that reaches the shopper, and when it arrives.
        "shipping_service": found.service,
        "delivery_estimate": found.estimate,
        "total": None if total is None else money(total, document.price_currency),
        "quantity": document.quantity,
        "cover": document.images[0] if document.images else None,
        **shop_rating(document),
    }
