"""The price comparator: every shop's copy of one work, with what it costs delivered.

Pure: it works on the indexed documents (each carries its shop's country and first-item
shipping rates), so the comparison shows exactly what search shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.catalog.domain import condition_rank
from services.catalog.search.port import SearchDocument


@dataclass(frozen=True)
class Offer:
    document: SearchDocument
    # None when the shop has not said what it charges, or no country was given.
    shipping: int | None
    domestic: bool | None

    @property
    def total(self) -> int | None:
        if self.shipping is None or self.document.shipping is None:
            return None
        if self.document.shipping.currency != self.document.price_currency:
            return None
        return self.document.price_amount + self.shipping


def shipping_to(document: SearchDocument, country: str | None) -> tuple[int | None, bool | None]:
    """The first-item rate to `country`: domestic when the shop is in that country."""
    if country is None or document.shipping is None:
        return None, None
    domestic = (document.shop_country or "").upper() == country.upper()
    return document.shipping.first_item(document.price_amount, domestic=domestic), domestic


def compare(
    documents: Iterable[SearchDocument],
    *,
    country: str | None = None,
    condition_at_least: str | None = None,
) -> list[Offer]:
    """Offers in at least the given condition, cheapest total first (then cheapest price)."""
    floor = condition_rank(condition_at_least)
    offers = []
    for document in documents:
        if floor is not None and (document.condition_rank or 0) < floor:
            continue
        shipping, domestic = shipping_to(document, country)
        offers.append(Offer(document=document, shipping=shipping, domestic=domestic))
    return sorted(
        offers,
        key=lambda o: (
            o.total is None and country is not None,
            o.total if o.total is not None else o.document.price_amount,
            o.document.price_amount,
            o.document.listing_id,
        ),
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
