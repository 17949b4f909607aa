"""Matching wants against the listings a batch of `listing.upserted` events has just made
available. Called by the catalog's listing handler inside the consumer's transaction, so the
matches commit (or not) with the listings themselves. The handler tells which listings
arrived: it compares each with what the read model held before the batch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from services.catalog.db import IndexedShop
from services.catalog.domain import binding_key, condition_key, isbn13
from services.catalog.search.text import words
from services.catalog.wants import store
from services.catalog.wants.domain import (
    NO_SELLER,
    Arrival,
    Seller,
    names_first_edition,
    pairs,
)
from services.common import shipping as shipping_rule


def match_arrivals(
    session: Session,
    arrivals: Sequence[Mapping[str, Any]],
    shops: Mapping[str, IndexedShop | None],
) -> int:
    """Notify the wants answered by `arrivals`, listings (as listing.upserted payloads) that
    have just become available (new, or back from no stock or removal), in a shop not on
    vacation; return how many matches are new. `shops` holds each listing's shop, None when
    the catalog has not heard of it yet."""
    if not arrivals:
        return 0
    sellers = {shop_id: _seller(shop) for shop_id, shop in shops.items()}
    shown = [
        (listing, seller)
        for listing in arrivals
        if (seller := sellers.get(listing["shop_id"]) or NO_SELLER) is not ON_VACATION
    ]
    if not shown:
        return 0
    keys = [_keys(listing) for listing, _ in shown]
    terms = set().union(*(listing_terms for _, listing_terms in keys))
    isbns = {isbn for isbn, _ in keys if isbn}
    isbn_wants, word_wants = store.candidates(session, isbns=isbns, terms=terms)
    if not isbn_wants and not word_wants:
        # No want can be answered: the rest of what a listing shows need not be worked out.
        return 0
    batch = [
        _arrival(listing, seller, isbn=isbn, terms=listing_terms)
        for (listing, seller), (isbn, listing_terms) in zip(shown, keys, strict=True)
    ]
    return store.record_matches(session, pairs(batch, isbn_wants, word_wants))


# Stands for a shop on vacation: its listings are not shown, so they answer no want.
ON_VACATION = Seller()


def _seller(shop: IndexedShop | None) -> Seller:
    if shop is None:
        return NO_SELLER
    if shop.on_vacation or shop.suspended:
        return ON_VACATION
    return Seller(name=shop.name, country=shop.country, shipping=_rates(shop))


def _keys(listing: dict[str, Any]) -> tuple[str | None, frozenset[str]]:
    """What finds a listing's candidate wants: its ISBN-13, and every word it shows."""
    texts = [str(category) for category in listing.get("categories") or []]
    texts += (listing.get(name) or "" for name in ("title", "description", "author"))
    return isbn13(listing.get("isbn")), frozenset(words(" ".join(texts)))


def _arrival(
    listing: dict[str, Any], seller: Seller, *, isbn: str | None, terms: frozenset[str]
) -> Arrival:
    categories = [str(category) for category in listing.get("categories") or []]
    edition_texts = [listing.get("title") or "", listing.get("description") or "", *categories]
    price = listing.get("price") or {}
    return Arrival(
        listing_id=listing["listing_id"],
        shop_id=listing["shop_id"],
        title=listing.get("title") or "",
        isbn=isbn,
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


def _rates(shop: IndexedShop) -> shipping_rule.Profile | None:
    return shipping_rule.profile_of_rates(shop.shipping)
