"""Friends and favourite shops on the real pages, against the real services (on threads,
with their workers on the real broker)."""

from __future__ import annotations

import re

import pytest
import requests
from sqlalchemy import select

from gateway.db import User
from tests import support
from tests.gateway.helpers import post_form, text
from tests.gateway.shop.factories import (
    a_seller,
    a_shopper,
    add_to_cart,
    check_out,
    search_page,
    wait_until_found,
)
from tests.gateway.test_people_pages import FOLLOW_ACTION

pytestmark = pytest.mark.integration

FOLLOWED_CARD = "Bought from by 1 person you follow"


def request_ids(client, action: str) -> list[str]:  # noqa: ANN001
    page = text(client.get("/people"))
    return [found for found, kind in FOLLOW_ACTION.findall(page) if kind == action]


def test_a_follower_sees_where_a_friend_bought_and_follows_the_shop(services, live_gateway):  # noqa: ANN001
    mara = a_seller(services, "Mara's Books")
    listing = mara.list(title="North and South", author="Elizabeth Gaskell", isbn=None)
    other = a_seller(services, "Kofi's Corner")
    other.list(title="North and South", author="Elizabeth Gaskell", isbn=None)
    ann = a_shopper(live_gateway, email="ann@example.org", name="Ann Reader")
    ben = a_shopper(live_gateway, email="ben@example.org", name="Ben Buyer")
    wait_until_found(ann, 2, q="gaskell")

    # Ben buys from Mara, who accepts.
    assert add_to_cart(ben, listing["id"]).status_code == 302
    assert check_out(ben).status_code == 302
    [part] = support.wait_for(mara.orders)
    assert mara.answer(part["id"], "accept").status_code == 200

    # Ann asks to follow Ben: nothing shows while the request waits.
    post_form(ann, "/people/follow", {"email": "ben@example.org"}, page="/people")
    support.wait_for(lambda: "status-accepted" in text(ben.get("/orders")) or None, timeout=15)
    assert FOLLOWED_CARD not in search_page(ann, q="gaskell")

    (request_id,) = request_ids(ben, "accept")
    post_form(ben, f"/people/follows/{request_id}/accept", {}, page="/people")

    page = search_page(ann, q="gaskell")
    assert page.count(FOLLOWED_CARD) == 1  # Mara's card, not Kofi's
    cards = re.findall(r'<li class="card".*?</li>', page, flags=re.S)
    [marked] = [card for card in cards if FOLLOWED_CARD in card]
    assert "Mara&#39;s Books" in marked
    listing_page = text(ann.get(f"/listings/{listing['id']}"))
    assert "Bought from by 1 person you follow:" in listing_page and "Ben Buyer" in listing_page
    # Ben himself follows nobody: his pages show nothing of the kind.
    assert "you follow" not in search_page(ben, q="gaskell")

    # Ann follows the shop from the listing page; /favourites shows its newest listing.
    followed = post_form(
        ann, f"/favourites/shops/{mara.shop['id']}", {"next": f"/listings/{listing['id']}"}
    )
    assert followed.headers["Location"] == f"/listings/{listing['id']}"
    assert 'id="unfollow-shop"' in text(ann.get(f"/listings/{listing['id']}"))
    favourites = text(ann.get("/favourites"))
    assert "Mara&#39;s Books" in favourites and "North and South" in favourites
    assert "Kofi" not in favourites
    assert FOLLOWED_CARD in favourites

    # Ben removes Ann: she sees nothing any more.
    (follow_id,) = request_ids(ben, "end")
    post_form(ben, f"/people/follows/{follow_id}/end", {}, page="/people")
    assert FOLLOWED_CARD not in search_page(ann, q="gaskell")
    assert "Ben Buyer" not in text(ann.get(f"/listings/{listing['id']}"))

    post_form(ann, f"/favourites/shops/{mara.shop['id']}/remove", {"next": "/favourites"})
    assert "You follow no shop yet." in text(ann.get("/favourites"))


def bought_and_reviewed(services, mara, shopper, listing: dict, who: str, words: str) -> None:  # noqa: ANN001
    """`shopper` buys `listing`, Mara ships it, and the shopper reviews the shop."""
    assert add_to_cart(shopper, listing["id"]).status_code == 302
    order_id = check_out(shopper).headers["Location"].rstrip("/").split("/")[-1]
    [part] = support.wait_for(
        lambda: [part for part in mara.orders() if part["order_id"] == order_id]
    )
    assert mara.answer(part["id"], "accept").status_code == 200
    assert mara.answer(part["id"], "ship", note="Enjoy!").status_code == 200
    with shopper.application.extensions["runtime"].session_factory() as session:
        user_id = session.scalar(select(User.id).where(User.display_name == who))
    url = f"{services.orders_url}/orders/{order_id}/parts/{part['id']}/review"
    support.wait_for(
        lambda: (
            requests.post(
                url,
                json={"rating": 4, "text": words},
                headers=support.auth_header(user_id, who),
                timeout=5,
            ).status_code
            == 201
        )
    )


def test_the_shop_page_puts_the_reviews_of_people_you_follow_first(services, live_gateway):  # noqa: ANN001
    mara = a_seller(services, "Mara's Books")
    listing = mara.list(title="Cranford", author="Elizabeth Gaskell", isbn=None, quantity=5)
    ann = a_shopper(live_gateway, email="ann@example.org", name="Ann Reader")
    ben = a_shopper(live_gateway, email="ben@example.org", name="Ben Buyer")
    cat = a_shopper(live_gateway, email="cat@example.org", name="Cat Stranger")
    wait_until_found(ann, 1, q="cranford")
    bought_and_reviewed(services, mara, ben, listing, "Ben Buyer", "Ben says: a careful parcel.")
    bought_and_reviewed(services, mara, cat, listing, "Cat Stranger", "Cat says: quick.")
    shop_page = f"/shops/{mara.shop['slug']}"

    def order_of_reviews(client) -> tuple[int, int]:  # noqa: ANN001
        page = text(client.get(shop_page))
        return page.index("Ben says"), page.index("Cat says")

    ben_at, cat_at = order_of_reviews(ann)
    assert cat_at < ben_at  # newest first, for someone who follows nobody
    post_form(ann, "/people/follow", {"email": "ben@example.org"}, page="/people")
    (request_id,) = request_ids(ben, "accept")
    post_form(ben, f"/people/follows/{request_id}/accept", {}, page="/people")

    ben_at, cat_at = order_of_reviews(ann)
    page = text(ann.get(shop_page))

    assert ben_at < cat_at
    assert page.count("Ben says") == 1
    assert "Bought from by 1 person you follow:" in page and 'id="follow-shop"' in page
    assert "Bought from by" not in text(cat.get(shop_page))
