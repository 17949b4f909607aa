"""Matching wants against the listings a batch of `listing.upserted` events has just made
available. Called by the catalog's listing handler inside the consumer's transaction, so the
matches and their events commit (or not) with the listings themselves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from services.catalog.db import IndexedListing, IndexedShop
from services.catalog.domain import binding_key, condition_key, isbn13
from services.catalog.search.text import words
from services.catalog.wants import store
from services.catalog.wants.domain import (
    NO_SELLER,
    Arrival,
    Rates,
    Seller,
    names_first_edition,
    pairs,
)


def match_arrivals(session: Session, listings: Sequence[IndexedListing]) -> int:
    """Notify the wants answered by those of `listings` that have just become available
    (new, or back from no stock) in a shop not on vacation; return how many matches are new.

    Call it right after the listings were changed and before anything is flushed: what each
    listing was before the batch is read from the session's change history.
    """
    arriving = [listing for listing in listings if _arrived(listing)]
    if not arriving:
        return 0
    # The listings' own changes are flushed with the transaction, not by these queries: the
    # change history must survive until every arrival is known, and want tables need none.
    with session.no_autoflush:
        return _match(session, arriving)


def _match(session: Session, arriving: Sequence[IndexedListing]) -> int:
    sellers = _sellers(session, {listing.shop_id for listing in arriving})
    batch = [
        _arrival(listing.listing or {}, sellers.get(listing.shop_id, NO_SELLER))
        for listing in arriving
        if sellers.get(listing.shop_id) is not ON_VACATION
    ]
    if not batch:
        return 0
    terms = set().union(*(listing.terms for listing in batch))
    isbns = {listing.isbn for listing in batch if listing.isbn}
    isbn_wants, word_wants = store.candidates(session, isbns=isbns, terms=terms)
    return store.record_matches(session, pairs(batch, isbn_wants, word_wants))


def _arrived(listing: IndexedListing) -> bool:
    if listing.removed or listing.listing is None or listing.quantity <= 0:
        return False
    state = inspect(listing)
    if state.pending or state.transient:
        return True

    def before(name: str) -> Any:
        history = state.attrs[name].history
        return history.deleted[0] if history.deleted else getattr(listing, name)

    was_available = (
        not before("removed") and before("listing") is not None and (before("quantity") or 0) > 0
    )
    return not was_available


# Stands for a shop on vacation: its listings are not shown, so they answer no want.
ON_VACATION = Seller()


def _sellers(session: Session, shop_ids: set[str]) -> dict[str, Seller]:
    found = session.scalars(select(IndexedShop).where(IndexedShop.shop_id.in_(shop_ids)))
    return {
        shop.shop_id: ON_VACATION
        if shop.on_vacation
        else Seller(name=shop.name, country=shop.country, shipping=_rates(shop))
        for shop in found
    }


def _arrival(listing: dict[str, Any], seller: Seller) -> Arrival:
    categories = [str(category) for category in listing.get("categories") or []]
    edition_texts = [listing.get("title") or "", listing.get("description") or "", *categories]
    terms = frozenset(words(" ".join([*edition_texts, listing.get("author") or ""])))
    price = listing.get("price") or {}
    return Arrival(
        listing_id=listing["listing_id"],
        shop_id=listing["shop_id"],
        title=listing.get("title") or "",
        isbn=isbn13(listing.get("isbn")),
        terms=terms,
        condition=condition_key(listing.get("condition")),
        binding=binding_key(listing.get("binding")),
        # Most listings never say "edition": only those are read word by word.
        first_edition="edition" in terms
        and names_first_edition(words(text) for text in edition_texts),
        price_amount=int(price.get("amount", 0)),
        price_currency=str(price.get("currency", "")).upper(),
        seller=seller,
    )


def _rates(shop: IndexedShop) -> Rates | None:
    if not shop.shipping:
        return None
    return Rates(
        domestic_first=int(shop.shipping["domestic_first"]["amount"]),
        international_first=int(shop.shipping["international_first"]["amount"]),
        currency=str(shop.shipping["domestic_first"]["currency"]).upper(),
    )
