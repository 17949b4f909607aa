"""The people a shopper follows, as the pages show them: who of them bought from a shop, and
their reviews first on its page, with one question to the orders service per page at
most. The shop page (views/reviews.py) and the template globals of views/people.py use it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import g
from flask_login import current_user
from sqlalchemy.orm import Session

from gateway import identity, people_services
from gateway.clients import ServiceError, ServiceUnavailable
from gateway.clients.buyers import BuyersAtShop, BuyersClient
from gateway.people_services import Person

log = logging.getLogger(__name__)

# How a view tells the templates which shops its page lists: `g.<LISTED_SHOPS>`.
LISTED_SHOPS = "listed_shop_ids"


MAX_SHOPS_PER_QUESTION = 50


@contextmanager
def reading() -> Iterator[Session]:
    """A session for a read while a page renders.

    On SQLite every transaction holds the write lock. A page whose view opened the
    request's session still holds it, so the read joins that session; otherwise a session
    of its own ends at once, and no lock is held while the page calls a service.
    """
    if "db" in g:
        yield identity.db()
        return
    with identity.runtime().session_factory() as session:
        yield session


def followed_first(shop_id: str, reviews: list[dict]) -> list[dict]:
    """A shop's reviews with those written by the people the shopper follows first.

    The followed people's reviews (their newest few) lead, whichever page of reviews they
    were on; the rest keep their order, without repeating them.
    """
    found = followed_at(shop_id)
    if found is None or not found.reviews:
        return reviews
    first = {str(review.get("id")) for review in found.reviews}
    return [*found.reviews, *(review for review in reviews if str(review.get("id")) not in first)]


def followed_at(shop_id: str | None) -> BuyersAtShop | None:
    """What the orders service says of the shopper's followees at one shop, if anything.

    The first call on a page asks the orders service once about every shop the page lists
    (`g.listed_shop_ids`, set by the view) and this one; a later call about a shop outside
    that answer shows nothing rather than asking again. Someone who follows nobody causes
    no call at all, and a service that is down shows nothing.
    """
    if not shop_id or not current_user.is_authenticated:
        return None
    people = followees()
    if not people:
        return None
    if "people_buyers" not in g:
        listed = getattr(g, LISTED_SHOPS, None) or []
        g.people_buyers = _ask_orders(_shops_to_ask(str(shop_id), listed), people)
    return g.people_buyers.get(str(shop_id))


def followees() -> list[Person]:
    if "people_followees" not in g:
        with reading() as session:
            g.people_followees = people_services.followees(session, current_user.id)
    return g.people_followees


def _shops_to_ask(first: str, listed: Iterable[object]) -> list[str]:
    shop_ids = [first]
    for shop_id in listed:
        if shop_id and str(shop_id) not in shop_ids:
            shop_ids.append(str(shop_id))
    return shop_ids[:MAX_SHOPS_PER_QUESTION]


def _ask_orders(shop_ids: list[str], people: list[Person]) -> dict[str, BuyersAtShop]:
    # Only accepted followees are ever sent: the orders service answers about whoever it is
    # asked, so this is where "nothing is shown to people not accepted" holds.
    try:
        return identity.service_client_of(BuyersClient, "orders").buyers_among(
            shop_ids, [person.id for person in people]
        )
    except (ServiceError, ServiceUnavailable) as error:
        log.warning("followed buyers unavailable", extra={"error": str(error)})
        return {}
