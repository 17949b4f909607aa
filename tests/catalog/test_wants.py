"""Want lists on a real database: saving wants, matching arriving listings, notifications."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from services.catalog.db import OutboxMessage, WantMatch
from services.catalog.wants import store
from services.catalog.wants.domain import MAX_WANTS_PER_USER, checked_isbn13, says_first_edition
from services.catalog.worker import build
from services.common.contracts import ListingsUpserted, Money, ShippingRates
from tests import support
from tests.catalog.conftest import build_catalog
from tests.catalog.factories import listing_removed, listing_upserted, shop_updated
from tests.catalog.test_worker import as_message, publish

SHOPPER = "shopper-1"


def rates(domestic: int = 300, international: int = 500, currency: str = "EUR") -> ShippingRates:
    def money(amount: int) -> Money:
        return Money(amount=amount, currency=currency)

    return ShippingRates(
        domestic_first=money(domestic),
        domestic_additional=money(100),
        international_first=money(international),
        international_additional=money(200),
    )


def want(catalog, user: str = SHOPPER, **fields) -> dict:  # noqa: ANN001
    response = catalog.client.post("/wants", json=fields, headers=support.auth_header(user))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def matched(catalog, user: str = SHOPPER) -> list[str]:  # noqa: ANN001
    """The titles of the user's notifications, newest first."""
    response = catalog.client.get("/wants/matches", headers=support.auth_header(user))
    assert response.status_code == 200, response.get_json()
    return [match["title"] for match in response.get_json()["matches"]]


@pytest.fixture
def shop(catalog):  # noqa: ANN001, ANN201
    """A shop in Great Britain that ships abroad, prices in EUR."""
    catalog.deliver(shop_updated(shop_id="shop-1", country="GB", shipping=rates()))
    return "shop-1"


# --- the rules, without a database -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0-8044-2957-X", "9780804429573"),
        ("978-0-261-10221-7", "9780261102217"),
        ("0-8044-2957-5", None),
        ("X-8044-2957-1", None),
        ("979-0-261-10221-7", None),
        ("12345", None),
    ],
)
def test_checked_isbn13_accepts_only_right_check_digits(typed, expected):
    assert checked_isbn13(typed) == expected


def test_says_first_edition_needs_the_two_words_together():
    assert says_first_edition("Signed FIRST Edition")
    assert says_first_edition("no", "1st edition, 1937")
    assert not says_first_edition("first printing of the second edition")
    assert not says_first_edition("The first", "edition")


# --- saving wants ---------------------------------------------------------------------------


def test_add_want_normalizes_an_isbn10_to_13(catalog):
    saved = want(catalog, isbn="0-261-10221-4")

    assert saved["isbn"] == "9780261102217"
    listed = catalog.client.get("/wants", headers=support.auth_header(SHOPPER)).get_json()
    assert [entry["id"] for entry in listed["wants"]] == [saved["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"isbn": "978-0-261-10221-8"}, "isbn"),
        ({"words": "   "}, "body"),
        ({"words": "x" * 201}, "words"),
        ({"words": "!!!"}, "words"),
        ({"isbn": "9780261102217", "words": "hobbit"}, "body"),
        ({"words": "hobbit", "condition_at_least": "pristine"}, "condition_at_least"),
        ({"words": "hobbit", "ships_to": "France"}, "ships_to"),
        ({"words": "hobbit", "max_price": {"amount": -5, "currency": "EUR"}}, "max_price.amount"),
        (
            {"words": "hobbit", "max_price": {"amount": 500, "currency": "euro"}},
            "max_price.currency",
        ),
    ],
)
def test_add_want_refuses_bad_input_naming_the_field(catalog, body, field):
    response = catalog.client.post("/wants", json=body, headers=support.auth_header(SHOPPER))

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert catalog.client.get("/wants", headers=support.auth_header(SHOPPER)).get_json() == {
        "wants": []
    }


def test_add_want_refuses_past_the_limit_per_user(catalog):
    with catalog.runtime.session_factory.begin() as session:
        for number in range(MAX_WANTS_PER_USER):
            store.add_want(session, SHOPPER, store.NewWant(words=f"book {number}"))

    response = catalog.client.post(
        "/wants", json={"words": "one more"}, headers=support.auth_header(SHOPPER)
    )

    assert response.status_code == 422
    assert "delete one" in response.get_json()["error"]
    assert want(catalog, user="someone-else", words="one more")["words"] == "one more"


def test_delete_want_removes_it_and_its_matches(catalog, shop):
    saved = want(catalog, words="hobbit")
    catalog.deliver(listing_upserted(shop_id=shop, title="The Hobbit"))

    response = catalog.client.delete(f"/wants/{saved['id']}", headers=support.auth_header(SHOPPER))

    assert response.status_code == 204
    assert matched(catalog) == []
    catalog.deliver(listing_upserted(shop_id=shop, title="The Hobbit again"))
    assert matched(catalog) == []


# --- matching -------------------------------------------------------------------------------


def test_isbn_want_matches_that_isbn_only(catalog, shop):
    want(catalog, isbn="9780261102217")

    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit", isbn="0261102214"))
    catalog.deliver(listing_upserted(shop_id=shop, title="Other", isbn="9780261103573"))

    assert matched(catalog) == ["Hobbit"]


def test_word_want_needs_every_word_anywhere_in_the_listing(catalog, shop):
    want(catalog, words="Tolkien hobbit DRAGON")

    catalog.deliver(listing_upserted(shop_id=shop, title="The Hobbit", description="no beast"))
    catalog.deliver(
        listing_upserted(
            shop_id=shop, title="The Hobbit", description="Smaug the dragon", author="Tolkien"
        )
    )
    catalog.deliver(
        listing_upserted(
            shop_id=shop,
            title="Smaug",
            author="J. R. R. Tolkien",
            categories=["Hobbit lore", "Dragons"],
        )
    )

    assert matched(catalog) == ["The Hobbit"]


def test_word_want_folds_accents_and_case_as_search_does(catalog, shop):
    want(catalog, words="emile zola")

    catalog.deliver(listing_upserted(shop_id=shop, title="Germinal", author="Émile ZOLA"))

    assert matched(catalog) == ["Germinal"]


def test_condition_filter_matches_at_least_that_grade(catalog, shop):
    want(catalog, words="hobbit", condition_at_least="very_good")

    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit good", condition="Good"))
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit fine", condition="Fine"))
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit vg", condition="Very Good"))

    assert sorted(matched(catalog)) == ["Hobbit fine", "Hobbit vg"]


def test_binding_filter_matches_that_binding_only(catalog, shop):
    want(catalog, words="hobbit", binding="Hardcover")

    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit soft", binding="Paperback"))
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit hard", binding="hardcover"))
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit unknown"))

    assert matched(catalog) == ["Hobbit hard"]


def test_first_edition_filter_reads_title_description_and_categories(catalog, shop):
    want(catalog, words="hobbit", first_edition=True)

    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit", description="Second edition"))
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit A", description="First edition."))
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit B", categories=["1st Edition"]))
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit, first edition"))

    assert sorted(matched(catalog)) == ["Hobbit A", "Hobbit B", "Hobbit, first edition"]


def test_ships_to_filter_needs_a_shop_that_ships_there(catalog, shop):
    catalog.deliver(shop_updated(shop_id="no-rates", slug="no-rates", country="FR"))
    want(catalog, words="hobbit", ships_to="FR")

    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit from GB"))
    catalog.deliver(listing_upserted(shop_id="no-rates", title="Hobbit without rates"))

    assert matched(catalog) == ["Hobbit from GB"]


def test_max_price_is_the_landed_price_to_the_country(catalog, shop):
    # 1250 + 500 international shipping to France = 1750; 1250 + 300 at home in Britain.
    want(catalog, words="hobbit", ships_to="fr", max_price={"amount": 1750, "currency": "eur"})
    want(catalog, words="hobbit", ships_to="FR", max_price={"amount": 1749, "currency": "EUR"})
    want(catalog, words="hobbit", ships_to="GB", max_price={"amount": 1550, "currency": "EUR"})
    want(catalog, words="hobbit", max_price={"amount": 1250, "currency": "GBP"})

    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit"))

    assert matched(catalog) == ["Hobbit", "Hobbit"]
    wants = {
        entry["id"]: entry
        for entry in catalog.client.get("/wants", headers=support.auth_header(SHOPPER)).get_json()[
            "wants"
        ]
    }
    matches = catalog.client.get("/wants/matches", headers=support.auth_header(SHOPPER))
    answered = {
        wants[match["want_id"]]["max_price"]["amount"] for match in matches.get_json()["matches"]
    }
    assert answered == {1750, 1550}


def test_max_price_without_country_is_the_price_alone(catalog, shop):
    want(catalog, words="hobbit", max_price={"amount": 1250, "currency": "EUR"})

    catalog.deliver(
        listing_upserted(
            shop_id=shop, title="Hobbit dear", price=Money(amount=1251, currency="EUR")
        )
    )
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit cheap"))

    assert matched(catalog) == ["Hobbit cheap"]


def test_restocked_listing_matches_once(catalog, shop):
    want(catalog, words="hobbit")
    listing = listing_upserted(shop_id=shop, title="Hobbit", quantity=0)

    catalog.deliver(listing)
    assert matched(catalog) == []

    catalog.deliver(listing.model_copy(update={"quantity": 1, "revision": 2}))
    assert matched(catalog) == ["Hobbit"]

    catalog.deliver(listing.model_copy(update={"quantity": 0, "revision": 3}))
    catalog.deliver(listing.model_copy(update={"quantity": 2, "revision": 4}))
    assert matched(catalog) == ["Hobbit"]


def test_listing_known_only_from_its_removal_matches_when_listed_again(catalog, shop):
    want(catalog, words="hobbit")
    listing = listing_upserted(shop_id=shop, title="Hobbit", revision=1)
    catalog.deliver(listing_removed(listing, revision=2))

    catalog.deliver(listing)  # older than the removal: still gone
    assert matched(catalog) == []

    catalog.deliver(listing.model_copy(update={"revision": 3}))
    assert matched(catalog) == ["Hobbit"]


def test_a_batch_naming_a_listing_twice_matches_it_once(catalog, shop):
    want(catalog, words="hobbit")
    first = listing_upserted(shop_id=shop, title="Hobbit")
    batch = [first, first.model_copy(update={"revision": 2, "title": "Hobbit, signed"})]

    catalog.deliver(ListingsUpserted(shop_id=shop, listings=batch))

    assert matched(catalog) == ["Hobbit, signed"]
    assert catalog.titles("hobbit") == ["Hobbit, signed"]


def test_second_upsert_of_a_listing_does_not_notify_again(catalog, shop):
    want(catalog, words="hobbit")
    listing = listing_upserted(shop_id=shop, title="Hobbit")

    catalog.deliver(listing)
    catalog.deliver(listing.model_copy(update={"revision": 2, "title": "Hobbit, signed"}))
    catalog.deliver(listing.model_copy(update={"revision": 2, "title": "Hobbit, signed"}))

    assert matched(catalog) == ["Hobbit"]


def test_listings_of_a_shop_on_vacation_do_not_match(catalog, shop):
    catalog.deliver(shop_updated(shop_id=shop, on_vacation=True, revision=5, shipping=rates()))
    want(catalog, words="hobbit")

    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit"))

    assert matched(catalog) == []


def test_a_match_is_stored_for_its_shopper_with_one_want_matched_event(catalog, shop):
    saved = want(catalog, words="hobbit")
    listing = listing_upserted(shop_id=shop, title="Hobbit")

    catalog.deliver(listing)
    catalog.deliver(listing.model_copy(update={"revision": 2, "title": "Hobbit, signed"}))

    with catalog.runtime.session_factory() as session:
        match = session.scalars(select(WantMatch)).one()
        outbox = list(session.scalars(select(OutboxMessage)))
    assert (match.want_id, match.user_id, match.listing_id) == (
        saved["id"],
        SHOPPER,
        listing.listing_id,
    )
    # The notifications service mails it; a second upsert of the listing matches nothing new.
    matched_events = [row for row in outbox if row.event_type == "want.matched"]
    assert len(matched_events) == 1
    payload = json.loads(matched_events[0].body)["payload"]
    assert (payload["match_id"], payload["user_id"], payload["title"]) == (
        match.id,
        SHOPPER,
        "Hobbit",
    )
    assert payload["price"] == {"amount": match.price_amount, "currency": match.price_currency}


def test_a_match_for_a_country_names_the_cheapest_service_that_reaches_it(catalog, shop):
    want(catalog, words="hobbit", ships_to="FR")
    want(catalog, words="hobbit", user="other")

    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit"))

    with catalog.runtime.session_factory() as session:
        outbox = list(session.scalars(select(OutboxMessage)))
    payloads = {
        (body := json.loads(row.body)["payload"])["user_id"]: body
        for row in outbox
        if row.event_type == "want.matched"
    }
    # From Britain to France: the shop's rest-of-the-world standard service.
    assert payloads[SHOPPER]["shipping"] == {"amount": 500, "currency": "EUR"}
    assert payloads[SHOPPER]["shipping_service"] == "Standard"
    assert payloads["other"]["shipping"] is None


def test_a_batch_matches_many_wants_and_listings_at_once(catalog, shop):
    want(catalog, words="hobbit")
    want(catalog, words="dune herbert")
    want(catalog, isbn="9780261102217")
    listings = [
        listing_upserted(shop_id=shop, title="Hobbit", isbn=None),
        listing_upserted(shop_id=shop, title="Dune", author="Frank Herbert", isbn=None),
        listing_upserted(shop_id=shop, title="Dune Messiah", author="Herbert"),
        listing_upserted(shop_id=shop, title="Emma", isbn=None),
    ]

    catalog.deliver(ListingsUpserted(shop_id=shop, listings=listings))

    assert sorted(matched(catalog)) == ["Dune", "Dune Messiah", "Dune Messiah", "Hobbit"]


# --- notifications --------------------------------------------------------------------------


def test_matches_are_newest_first_with_unread_count_and_can_be_read(catalog, shop):
    want(catalog, words="hobbit")
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit one"))
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit two"))
    headers = support.auth_header(SHOPPER)

    body = catalog.client.get("/wants/matches", headers=headers).get_json()
    assert [match["title"] for match in body["matches"]] == ["Hobbit two", "Hobbit one"]
    assert body["unread"] == 2
    first = body["matches"][0]
    assert first["shop_name"] == "Hobbit Hole Books"
    assert first["price"] == {"amount": 1250, "currency": "EUR"}
    assert first["read"] is False

    answer = catalog.client.post(f"/wants/matches/{first['id']}/read", headers=headers)
    assert answer.get_json() == {"unread": 1}
    assert catalog.client.post("/wants/matches/read", headers=headers).status_code == 200
    body = catalog.client.get("/wants/matches", headers=headers).get_json()
    assert body["unread"] == 0 and all(match["read"] for match in body["matches"])
    assert catalog.client.get("/wants/matches/unread", headers=headers).get_json() == {"unread": 0}


def test_every_want_endpoint_keeps_to_its_owner(catalog, shop):
    saved = want(catalog, words="hobbit")
    catalog.deliver(listing_upserted(shop_id=shop, title="Hobbit"))
    match_id = catalog.client.get(
        "/wants/matches", headers=support.auth_header(SHOPPER)
    ).get_json()["matches"][0]["id"]
    other = support.auth_header("someone-else")
    client = catalog.client

    assert client.get("/wants", headers=other).get_json() == {"wants": []}
    assert client.get(f"/wants/{saved['id']}", headers=other).status_code == 404
    assert client.delete(f"/wants/{saved['id']}", headers=other).status_code == 404
    assert client.get("/wants/matches", headers=other).get_json() == {"matches": [], "unread": 0}
    assert client.get("/wants/matches/unread", headers=other).get_json() == {"unread": 0}
    assert client.post("/wants/matches/read", headers=other).status_code == 200
    assert client.post(f"/wants/matches/{match_id}/read", headers=other).status_code == 404

    mine = support.auth_header(SHOPPER)
    assert client.get(f"/wants/{saved['id']}", headers=mine).status_code == 200
    assert client.get("/wants/matches/unread", headers=mine).get_json() == {"unread": 1}
    for method, path in [
        ("get", "/wants"),
        ("post", "/wants"),
        ("get", f"/wants/{saved['id']}"),
        ("delete", f"/wants/{saved['id']}"),
        ("get", "/wants/matches"),
        ("get", "/wants/matches/unread"),
        ("post", "/wants/matches/read"),
        ("post", f"/wants/matches/{match_id}/read"),
    ]:
        assert getattr(client, method)(path).status_code == 401, path
    assert client.get(f"/wants/{saved['id']}", headers=mine).status_code == 200


# --- through the real broker ----------------------------------------------------------------


@pytest.fixture
def brokered_catalog(sqlite_url, tmp_path, amqp_prefix):  # noqa: ANN001, ANN201
    built = build_catalog(sqlite_url, tmp_path, amqp_prefix)
    yield built
    built.runtime.engine.dispose()
    built.runtime.search_index.close()


@pytest.mark.integration
def test_worker_matches_a_published_batch(brokered_catalog, amqp_prefix):
    catalog = brokered_catalog
    saved = want(catalog, words="hobbit")
    batch = ListingsUpserted(
        shop_id="shop-1",
        listings=[
            listing_upserted(title="The Hobbit"),
            listing_upserted(title="Dune", isbn=None),
        ],
    )
    publish(amqp_prefix, as_message(batch))

    def stored_matches() -> list[WantMatch]:
        with catalog.runtime.session_factory() as session:
            return list(session.scalars(select(WantMatch)))

    with support.running(build(catalog.runtime)):
        matches = support.wait_for(stored_matches)

    hobbit = batch.listings[0].listing_id
    assert [(m.want_id, m.listing_id) for m in matches] == [(saved["id"], hobbit)]
