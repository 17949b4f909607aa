"""The people a shopper follows, as the pages show them: who of them bought from the shops a
page lists, and their reviews first on a shop's page, with one question to the orders service
per page at most, asked with the page's other calls (gateway/pages/layout.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from flask import g
from flask_login import current_user
from sqlalchemy.orm import Session

from gateway import identity, people_services
from gateway.clients.buyers import BuyersAtShop, BuyersClient
from gateway.pages.gather import Ask
from gateway.people_services import Person

MAX_SHOPS_PER_QUESTION = 50


@contextmanager
def reading() -> Iterator[Session]:
    """A session for a read while a page is built.

    On SQLite every transaction holds the write lock. A page whose view opened the
    request's session still holds it, so the read joins that session; otherwise a session
    of its own ends at once, and no lock is held while the page calls a service.
    """
    if "db" in g:
        yield identity.db()
        return
    with identity.runtime().session_factory() as session:
        yield session


@dataclass(frozen=True)
class Followed:
    """What the orders service said of the shopper's accepted followees at the page's shops."""

    at_shops: Mapping[str, BuyersAtShop]
    people: list[Person]

    def buyers(self, shop_id: object) -> list[Person]:
        """The followees who bought from `shop_id`; none for a shop the page did not list."""
        found = self.at_shops.get(str(shop_id))
        if found is None:
            return []
        bought = set(found.user_ids)
        return [person for person in self.people if person.id in bought]

    def reviews_at(self, shop_id: object) -> list[dict]:
        found = self.at_shops.get(str(shop_id))
        return list(found.reviews) if found else []


def followed_ask(shop_ids: Iterable[object]) -> dict[str, Ask]:
    """{"followed": an ask for a Followed} about the page's shops; nothing to ask for someone
    signed out or who follows nobody (the templates then show no one)."""
    if not current_user.is_authenticated:
        return {}
    people = followees()
    if not people:
        return {}
    wanted = _shops_to_ask(shop_ids)
    client = identity.service_client_of(BuyersClient, "orders")
    # Only accepted followees are ever sent: the orders service answers about whoever it is
    # asked, so this is where "nothing is shown to people not accepted" holds.
    ids = [person.id for person in people]
    return {
        "followed": Ask(
            lambda: Followed(client.buyers_among(wanted, ids), people),
            "",
        )
    }


def followed_first(followed: Followed | None, shop_id: str, reviews: list[dict]) -> list[dict]:
    """A shop's reviews with those written by the people the shopper follows first.

    The followed people's reviews (their newest few) lead, whichever page of reviews they
    were on; the rest keep their order, without repeating them.
    """
    leading = followed.reviews_at(shop_id) if followed else []
    if not leading:
        return reviews
    first = {str(review.get("id")) for review in leading}
    return [*leading, *(review for review in reviews if str(review.get("id")) not in first)]


def favourite_shop_ids() -> set[str]:
    """The shops the signed-in shopper follows (for "Follow" or "Unfollow" beside a shop)."""
    if not current_user.is_authenticated:
        return set()
    with reading() as session:
        return {
            str(shop_id) for shop_id in people_services.favourite_shop_ids(session, current_user.id)
        }


def followees() -> list[Person]:
    if "people_followees" not in g:
        with reading() as session:
            g.people_followees = people_services.followees(session, current_user.id)
    return g.people_followees


def _shops_to_ask(listed: Iterable[object]) -> list[str]:
    shop_ids: list[str] = []
    for shop_id in listed:
        if shop_id and str(shop_id) not in shop_ids:
            shop_ids.append(str(shop_id))
    return shop_ids[:MAX_SHOPS_PER_QUESTION]
