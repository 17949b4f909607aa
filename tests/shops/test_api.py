"""Shops and listings over HTTP, on SQLite and PostgreSQL, schema from the migrations."""

from __future__ import annotations

import uuid

import pytest

from services.common import shipping as shipping_rule
from services.shops.db import Listing, OutboxMessage, Shop, ShopMember
from tests import support
from tests.shops.conftest import listing_body, make_seller

pytestmark = pytest.mark.integration


def test_open_shop_makes_the_caller_owner_and_stages_shop_updated(fresh_shops, seller):
    shops = fresh_shops
    shop = shops.open_shop(seller, name="Rue des Livres", country="fr")

    assert shop["slug"] == "rue-des-livres"
    assert (shop["country"], shop["currency"]) == ("FR", "EUR")
    member = shops.get(ShopMember, (shop["id"], seller.user_id))
    assert member.role == "owner"
    free = {"amount": 0, "currency": "EUR"}
    assert shops.outbox("shop.updated") == [
        {
            "shop_id": shop["id"],
            "revision": 1,
            "slug": "rue-des-livres",
            "name": "Rue des Livres",
            "signature": "Camille, the bookseller",
            "about": "",
            "country": "FR",
            "currency": "EUR",
            "shipping": {
                "domestic_first": free,
                "domestic_additional": free,
                "international_first": free,
                "international_additional": free,
                "free_over": None,
                # A new shop's two zones, as the profile every service prices with.
                "profile": two_zone_profile(),
            },
            "location": None,
            "on_vacation": False,
            "suspended": False,
            "logo": None,
            "banner": None,
        }
    ]


def test_open_shop_gives_the_same_name_a_numbered_slug(shops, seller):
    first = shops.open_shop(seller, name="Rue des Livres")
    second = shops.open_shop(make_seller(), name="Rue des  livres!")
    assert (first["slug"], second["slug"]) == ("rue-des-livres", "rue-des-livres-2")


def test_my_shops_lists_only_the_callers_shops(shops, seller):
    mine = shops.open_shop(seller, name="Mine")
    shops.open_shop(make_seller(), name="Theirs")
    response = shops.client.get("/shops/mine", headers=seller.headers())
    assert [shop["id"] for shop in response.get_json()["shops"]] == [mine["id"]]


def test_shop_profile_is_public(shops, seller):
    shop = shops.open_shop(seller)
    response = shops.client.get(f"/shops/{shop['id']}")
    assert response.status_code == 200
    assert response.get_json()["signature"] == "Camille, the bookseller"
    assert shops.client.get(f"/shops/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "  ", "signature": "Camille"}, 422, "name"),
        ({"name": "x" * 101, "signature": "Camille"}, 422, "name"),
        ({"name": "Shop", "signature": ""}, 422, "signature"),
        ({"signature": "Camille"}, 422, "name"),
        ({"name": "Shop", "signature": "Camille", "currency": "euro"}, 422, "currency"),
    ],
)
def test_open_shop_refuses_bad_input_and_writes_nothing(shops, seller, body, status, field):
    response = shops.client.post("/shops", json=body, headers=seller.headers())

    assert response.status_code == status
    assert field in response.get_json()["fields"]
    assert response.get_json()["error"]
    assert (shops.count(Shop), shops.count(ShopMember), shops.count(OutboxMessage)) == (0, 0, 0)


def test_open_shop_refuses_a_body_that_is_not_json(shops, seller):
    response = shops.client.post("/shops", data="name=x", headers=seller.headers())
    assert response.status_code == 400
    assert shops.count(Shop) == 0


def test_open_shop_needs_a_token(shops):
    response = shops.client.post("/shops", json={"name": "Shop", "signature": "Me"})
    assert response.status_code == 401
    assert shops.count(Shop) == 0


# --- listings ---------------------------------------------------------------------------


def test_add_listing_stages_listing_upserted_with_revision_one(fresh_shops, seller):
    shops = fresh_shops
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], sku="ROSE-1")

    assert listing["revision"] == 1
    assert listing["isbn"] == "9780151446476"
    assert listing["price"] == {"amount": 1250, "currency": "EUR"}
    [event] = shops.outbox("listing.upserted")
    assert event["listing_id"] == listing["id"]
    assert event["shop_id"] == shop["id"]
    assert (event["revision"], event["quantity"], event["sku"]) == (1, 2, "ROSE-1")
    assert event["price"] == {"amount": 1250, "currency": "EUR"}


def test_add_listing_defaults_the_currency_to_the_shops(shops, seller):
    shop = shops.open_shop(seller, currency="GBP")
    listing = shops.add_listing(seller, shop["id"], price={"amount": 800})
    assert listing["price"] == {"amount": 800, "currency": "GBP"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"price": {"amount": 0, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": -100, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": 12.5, "currency": "EUR"}}, "price.amount"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": "3"}, "quantity"),
        ({"isbn": "not an isbn"}, "isbn"),
    ],
)
def test_add_listing_refuses_bad_input_and_writes_nothing(shops, seller, overrides, field):
    shop = shops.open_shop(seller)
    before = (shops.count(Listing), shops.count(OutboxMessage))

    response = shops.client.post(
        f"/shops/{shop['id']}/listings", json=listing_body(**overrides), headers=seller.headers()
    )

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert (shops.count(Listing), shops.count(OutboxMessage)) == before


def test_add_listing_refuses_a_sku_the_shop_already_uses(shops, seller):
    shop = shops.open_shop(seller)
    shops.add_listing(seller, shop["id"], sku="ROSE-1")
    before = (shops.count(Listing), shops.count(OutboxMessage))

    response = shops.client.post(
        f"/shops/{shop['id']}/listings", json=listing_body(sku="ROSE-1"), headers=seller.headers()
    )

    assert response.status_code == 409
    assert "ROSE-1" in response.get_json()["error"]
    assert (shops.count(Listing), shops.count(OutboxMessage)) == before


def test_add_listing_allows_the_same_sku_in_another_shop(shops, seller):
    other = make_seller("Other")
    shops.add_listing(seller, shops.open_shop(seller)["id"], sku="A1")
    shops.add_listing(other, shops.open_shop(other, name="Other")["id"], sku="A1")
    assert shops.count(Listing) == 2


def test_listing_detail_is_public_and_names_the_shop(shops, seller):
    shop = shops.open_shop(seller, country="FR")
    listing = shops.add_listing(seller, shop["id"])

    body = shops.client.get(f"/listings/{listing['id']}").get_json()

    assert (body["quantity"], body["purchasable"]) == (2, True)
    free = {"amount": 0, "currency": "EUR"}
    assert body["shop"] == {
        "id": shop["id"],
        "name": shop["name"],
        "slug": shop["slug"],
        "signature": shop["signature"],
        "country": "FR",
        "currency": "EUR",
        "shipping": {
            "domestic_first": free,
            "domestic_additional": free,
            "international_first": free,
            "international_additional": free,
            "free_over": None,
            "profile": two_zone_profile(),
        },
        "on_vacation": False,
        "suspended": False,
    }


def test_listing_detail_of_an_unknown_listing_is_404(shops):
    response = shops.client.get(f"/listings/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "no such listing"


def test_shop_listings_shows_the_whole_inventory_to_a_member(shops, seller):
    shop = shops.open_shop(seller)
    shops.add_listing(seller, shop["id"], title="Sold out", quantity=0)
    shops.add_listing(seller, shop["id"], title="In stock")

    response = shops.client.get(f"/shops/{shop['id']}/listings", headers=seller.headers())

    assert sorted(item["title"] for item in response.get_json()["listings"]) == [
        "In stock",
        "Sold out",
    ]


def test_token_listing_a_shop_is_not_enough_to_be_its_member(shops, seller):
    shop = shops.open_shop(seller)
    intruder = support.auth_header(str(uuid.uuid4()), "Mallory", shops=(shop["id"],))
    response = shops.client.get(f"/shops/{shop['id']}/listings", headers=intruder)
    assert response.status_code == 404


def two_zone_profile() -> dict:
    return shipping_rule.profile_as_dict(
        shipping_rule.from_legacy(
            currency="EUR",
            domestic_first=0,
            domestic_additional=0,
            international_first=0,
            international_additional=0,
        )
    )
