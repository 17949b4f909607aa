"""The price comparator: every shop's copy of one work, with what it costs delivered.

Pure: it works on the indexed documents (each carries its shop's country and shipping
profile), so the comparison shows exactly what search shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.catalog.domain import condition_rank
from services.catalog.search.port import SearchDocument
from services.common.shipping import estimate_text


@dataclass(frozen=True)
class Offer:
    document: SearchDocument
    # None when the shop has not said what it charges, or no country was given.
    shipping: int | None
    domestic: bool | None
    # The cheapest service that reaches the shopper's country, as the offer names it.
    service: str | None = None
    estimate: str | None = None

    @property
    def total(self) -> int | None:
        if self.shipping is None or self.document.shipping is None:
            return None
        if self.document.shipping.currency != self.document.price_currency:
            return None
        return self.document.price_amount + self.shipping


def compare(
    documents: Iterable[SearchDocument],
    *,
    country: str | None = None,
    condition_at_least: str | None = None,
) -> list[Offer]:
    """Offers in at least the given condition, cheapest total first (then cheapest price).

    With a country, each offer is priced by the cheapest service that reaches it (the one
    rule, services/common/shipping.py), and shops that do not ship there are left out."""
    floor = condition_rank(condition_at_least)
    offers = []
    for document in documents:
        if floor is not None and (document.condition_rank or 0) < floor:
            continue
        if country is not None and not document.ships_to(country):
            continue
        offers.append(offer_to(document, country))
    return sorted(
        offers,
        key=lambda o: (
            o.total is None and country is not None,
            o.total if o.total is not None else o.document.price_amount,
            o.document.price_amount,
            o.document.listing_id,
        ),
    )


def offer_to(document: SearchDocument, country: str | None) -> Offer:
    if country is None or document.shipping is None:
        return Offer(document=document, shipping=None, domestic=None)
    domestic = (document.shop_country or "").upper() == country.upper()
    found = document.landed_quote_to(country)
    if found is None:
        return Offer(document=document, shipping=None, domestic=domestic)
    return Offer(
        document=document,
        shipping=found.amount,
        domestic=domestic,
        service=found.service_name,
        estimate=estimate_text(found.days_min, found.days_max),
    )


@dataclass(frozen=True)
class Work:
    work_id: str
    title: str
    author: str | None
    isbn: str | None
    publisher: str | None
    year: int | None
    offers: int
    lowest_price: int
    currency: str


def summarize(work_id: str, documents: list[SearchDocument]) -> Work | None:
    """What the comparator heads its page with: the work as its cheapest copy describes it."""
    if not documents:
        return None
    cheapest = min(documents, key=lambda d: (d.price_amount, d.listing_id))
    return Work(
        work_id=work_id,
        title=cheapest.title,
        author=cheapest.author,
        isbn=next((d.isbn for d in documents if d.isbn), None),
        publisher=cheapest.publisher,
        year=cheapest.year,
        offers=len(documents),
        lowest_price=cheapest.price_amount,
        currency=cheapest.price_currency,
    )
