"""The rules of a want, free of any framework: what it asks for, and whether a listing
that has just arrived answers it.

A want names an ISBN or some words, plus optional filters. Listings carry no edition field,
so "first edition" means the words "first edition" or "1st edition" in the listing's title,
description or categories. A maximum price is a landed price when the want names a country
(the price plus the shop's first-item shipping there) and the bare price when it does not;
a listing in another currency never matches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from services.catalog.domain import condition_rank, isbn13
from services.catalog.search.text import words as folded_words
from services.common import shipping as shipping_rule

# Enough for a serious collector, few enough that matching one batch stays cheap.
MAX_WANTS_PER_USER = 200
MAX_WORDS_LENGTH = 200
# Words past this many narrow a want very little, and each one is a row to probe.
MAX_TERMS = 12
_FIRST = ("first", "1st")


def checked_isbn13(value: str) -> str | None:
    """The ISBN-13 of an ISBN-10 or ISBN-13 whose check digit is right, else None.

    The catalog's `isbn13` recomputes the check digit, which is right for grouping listings;
    a shopper's typo must instead be caught, or the want would wait for a book that is not.
    """
    compact = "".join(ch for ch in value.upper() if ch.isdigit() or ch == "X")
    number = isbn13(compact)
    if number is None:
        return None
    if len(compact) == 13:
        return number if number == compact else None
    digits = [10 if ch == "X" else int(ch) for ch in compact]
    if "X" in compact[:9] or sum((10 - i) * d for i, d in enumerate(digits)) % 11:
        return None
    return number


def terms_of(text: str | None) -> tuple[str, ...]:
    """The distinct folded words of a want, as the search folds them, in the order typed."""
    return tuple(dict.fromkeys(folded_words(text or "")))[:MAX_TERMS]


def says_first_edition(*texts: str | None) -> bool:
    return names_first_edition([folded_words(text or "") for text in texts])


def names_first_edition(texts: Iterable[Sequence[str]]) -> bool:
    """Whether any of these texts, as folded words, says "first edition" or "1st edition"."""
    for words in texts:
        for position in range(1, len(words)):
            if words[position] == "edition" and words[position - 1] in _FIRST:
                return True
    return False


@dataclass(frozen=True)
class Seller:
    """The shop of a listing, as far as wants care: where it is and what it charges."""

    name: str | None = None
    country: str | None = None
    # The shop's shipping profile (services/common/shipping.py), None when it has none.
    shipping: shipping_rule.Profile | None = None


NO_SELLER = Seller()


@dataclass(frozen=True)
class Arrival:
    """A listing that has just become available: new, or back in stock."""

    listing_id: str
    shop_id: str
    title: str
    isbn: str | None  # ISBN-13, or None
    terms: frozenset[str]
    condition: str | None
    binding: str | None  # binding_key form
    first_edition: bool
    price_amount: int
    price_currency: str
    seller: Seller = NO_SELLER

    def shipping_to(self, country: str) -> tuple[int, str] | None:
        """One copy's shipping to `country` by the cheapest service that reaches it, with its
        currency; None if the shop does not ship there (or has not said what it charges)."""
        profile = self.seller.shipping
        found = shipping_rule.cheapest(
            profile, shop_country=self.seller.country, destination=country, price=self.price_amount
        )
        if found is None:
            return None
        return found.amount, found.currency

    def cheapest_service_to(self, country: str) -> tuple[int, str, str] | None:
        """The cheapest service to `country`: its price, currency and name."""
        found = shipping_rule.cheapest(
            self.seller.shipping,
            shop_country=self.seller.country,
            destination=country,
            price=self.price_amount,
        )
        return None if found is None else (found.amount, found.currency, found.service_name)


@dataclass(frozen=True)
class Criteria:
    """What one want asks for."""

    want_id: str
    user_id: str
    isbn: str | None = None
    terms: tuple[str, ...] = ()
    condition_at_least: str | None = None
    binding: str | None = None
    first_edition: bool = False
    ships_to: str | None = None
    max_price_amount: int | None = None
    max_price_currency: str | None = None

    def matches(self, listing: Arrival) -> bool:
        if self.isbn is not None and listing.isbn != self.isbn:
            return False
        if not listing.terms.issuperset(self.terms):
            return False
        if self.condition_at_least is not None:
            floor = condition_rank(self.condition_at_least) or 0
            if (condition_rank(listing.condition) or 0) < floor:
                return False
        if self.binding is not None and listing.binding != self.binding:
            return False
        if self.first_edition and not listing.first_edition:
            return False
        shipping = 0
        if self.ships_to is not None:
            rate = listing.shipping_to(self.ships_to)
            if rate is None:
                return False
            shipping, rates_currency = rate
            if self.max_price_amount is not None and rates_currency != listing.price_currency:
                return False  # no landed price can be told
        if self.max_price_amount is not None:
            if listing.price_currency != self.max_price_currency:
                return False
            if listing.price_amount + shipping > self.max_price_amount:
                return False
        return True


@dataclass
class TermIndex:
    """Which listings of one batch hold each word, to find a word want's listings at once."""

    holders: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, listings: Sequence[Arrival], *, only: set[str]) -> TermIndex:
        """The index of the words in `only` (those some want asks for)."""
        index = cls()
        for position, listing in enumerate(listings):
            for term in listing.terms & only:
                index.holders.setdefault(term, set()).add(position)
        return index

    def holding_all(self, terms: Iterable[str]) -> set[int]:
        """Positions of the listings holding every one of `terms` (rarest word first)."""
        groups = sorted((self.holders.get(term, set()) for term in terms), key=len)
        if not groups:
            return set()
        found = set(groups[0])
        for group in groups[1:]:
            found &= group
            if not found:
                break
        return found


def pairs(
    listings: Sequence[Arrival],
    isbn_wants: Iterable[Criteria],
    word_wants: Iterable[Criteria],
) -> list[tuple[Criteria, Arrival]]:
    """Every (want, listing) of the batch where the listing answers the want."""
    found: list[tuple[Criteria, Arrival]] = []
    by_isbn: dict[str, list[Arrival]] = {}
    for listing in listings:
        if listing.isbn:
            by_isbn.setdefault(listing.isbn, []).append(listing)
    for want in isbn_wants:
        found.extend(
            (want, listing) for listing in by_isbn.get(want.isbn or "", ()) if want.matches(listing)
        )
    word_wants = list(word_wants)
    index = TermIndex.of(listings, only={term for want in word_wants for term in want.terms})
    for want in word_wants:
        for position in sorted(index.holding_all(want.terms)):
            if want.matches(listings[position]):
                found.append((want, listings[position]))
    return found
