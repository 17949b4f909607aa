"""A want on the live stack: a shop lists a matching book, the catalog's worker matches it,
and the shopper's menu, notification centre and matches page show it. The canned wants and
matches of tests/gateway/fakes.py are checked here against the catalog's own answers."""

from __future__ import annotations

import re

from sqlalchemy import select

from gateway.clients import ServiceClient
from gateway.db import User
from services.common.auth import Principal, issue_token
from tests import support
from tests.gateway.fakes import a_want, a_want_match
from tests.gateway.helpers import post_form, text
from tests.gateway.shop.factories import a_seller, a_shopper
from tests.gateway.test_fakes_contract import missing_from


def test_a_matching_listing_shows_a_badge_then_the_match(live_gateway, services):
    shopper = a_shopper(live_gateway)
    post_form(shopper, "/wants", {"words": "left hand darkness"}, page="/wants")
    seller = a_seller(services)
    listing = seller.list(title="The Left Hand of Darkness", quantity=1)
    seller.list(title="The Dispossessed")

    support.wait_for(lambda: 'id="wants-badge"' in text(shopper.get("/wants")))
    assert re.search(r'id="wants-badge">1<', text(shopper.get("/wants")))

    centre = text(shopper.get("/notifications"))
    assert 'id="want-notifications-title"' in centre
    assert f'href="/listings/{listing["id"]}"' in centre

    page = text(shopper.get("/wants/matches"))
    assert f'href="/listings/{listing["id"]}"' in page
    assert "The Left Hand of Darkness" in page and "Mara&#39;s Books" in page
    assert "The Dispossessed" not in page
    assert 'class="match unread"' in page
    # Opened once, they are read: no badge, no "new" marks.
    assert 'id="wants-badge"' not in text(shopper.get("/wants"))
    assert 'class="match unread"' not in text(shopper.get("/wants/matches"))

    # The fakes' wants and matches have the catalog's shape.
    with live_gateway.extensions["runtime"].session_factory() as session:
        user = session.scalars(select(User).where(User.email == "ben@example.org")).one()
    token = issue_token(Principal(user.id, user.display_name, frozenset()), secret=support.SECRET)
    catalog = ServiceClient(services.catalog_url, token=token)
    [want] = catalog._call("GET", "/wants")["wants"]
    [match] = catalog._call("GET", "/wants/matches")["matches"]
    assert missing_from(a_want(), want) == []
    assert missing_from(a_want_match(), match) == []
