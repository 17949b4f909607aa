"""The shop's customer book: its buyers from its own orders, and its private notes and tags."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from services.common.contracts import Buyer, encode, wrap
from services.shops.db import ShopCustomer, ShopOrder
from services.shops.worker import build
from tests import support
from tests.shops.conftest import add_staff, build_service, make_seller, order_placed, publish

pytestmark = pytest.mark.integration

ADA = Buyer(user_id="u-ada", name="Ada Reader")
BO = Buyer(user_id="u-bo", name="Bo Page")
START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
NOTE = "Collects first editions; no plastic wrapping."


def place(shops, shop_id: str, listing: dict, buyer: Buyer, *, days: int, **overrides):
    """Deliver an order of one copy of `listing` placed `days` after START; the event."""
    event = order_placed(
        shop_id, [(listing, 1)], buyer=buyer, placed_at=START + timedelta(days=days), **overrides
    )
    assert shops.deliver(event)
    return event


def answer(shops, seller, shop_id: str, event, action: str, **body) -> None:
    url = f"/shops/{shop_id}/orders/{event.shop_order_id}/{action}"
    response = shops.client.post(url, json=body or None, headers=seller.headers())
    assert response.status_code == 200, response.get_json()


def customers(shops, seller, shop_id: str, **params) -> dict:
    response = shops.client.get(
        f"/shops/{shop_id}/customers", query_string=params, headers=seller.headers()
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def patch_notes(shops, seller, shop_id: str, user_id: str, **body):
    return shops.client.patch(
        f"/shops/{shop_id}/customers/{user_id}", json=body, headers=seller.headers()
    )


@pytest.fixture
def book(shops, seller):
    """A shop where Ada ordered three times (accepted, declined, pending) and Bo once."""
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=10)
    first = place(shops, shop["id"], listing, ADA, days=0)
    answer(shops, seller, shop["id"], first, "accept")
    second = place(shops, shop["id"], listing, ADA, days=5)
    answer(shops, seller, shop["id"], second, "decline", reason="Sold this morning")
    bo = place(shops, shop["id"], listing, BO, days=7)
    # Ada's latest order carries her new name; the book shows that one.
    renamed = Buyer(user_id=ADA.user_id, name="Ada Lovelace")
    third = place(shops, shop["id"], listing, renamed, days=9)
    return shop, listing, {"first": first, "second": second, "third": third, "bo": bo}


def test_customers_are_the_shops_buyers_with_counts_totals_and_dates(shops, seller, book):
    shop, _listing, _orders = book

    found = customers(shops, seller, shop["id"])

    assert found["total"] == 2
    by_id = {row["user_id"]: row for row in found["customers"]}
    ada, bo = by_id[ADA.user_id], by_id[BO.user_id]
    assert ada["name"] == "Ada Lovelace"
    assert ada["order_count"] == 3
    # 12.50 + 4.50 shipping for the accepted and the pending order; the declined one is not.
    assert ada["total_spent"] == [{"amount": 3400, "currency": "EUR"}]
    assert ada["first_order_at"].startswith("2026-03-01T10:00")
    assert ada["last_order_at"].startswith("2026-03-10T10:00")
    assert ada["tags"] == []
    assert "notes" not in ada
    assert (bo["order_count"], bo["total_spent"]) == (1, [{"amount": 1700, "currency": "EUR"}])


def test_a_cancelled_order_is_not_spent(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    place(shops, shop["id"], listing, ADA, days=0)
    answer(shops, seller, shop["id"], place(shops, shop["id"], listing, ADA, days=1), "accept")
    with shops.runtime.session_factory.begin() as session:
        for order in session.query(ShopOrder).filter_by(buyer_user_id=ADA.user_id):
            if order.status == "pending":
                order.cancel(reason="changed my mind", now=START)

    (ada,) = customers(shops, seller, shop["id"])["customers"]
    assert (ada["order_count"], ada["total_spent"]) == (2, [{"amount": 1700, "currency": "EUR"}])


def test_customers_are_searched_sorted_and_paged(shops, seller, book):
    shop, _listing, _orders = book
    sid = shop["id"]

    def names(**params) -> list[str]:
        return [row["name"] for row in customers(shops, seller, sid, **params)["customers"]]

    assert names() == ["Ada Lovelace", "Bo Page"]  # latest order first
    assert names(sort="last_order") == ["Bo Page", "Ada Lovelace"]
    assert names(sort="name") == ["Ada Lovelace", "Bo Page"]
    assert names(sort="-name") == ["Bo Page", "Ada Lovelace"]
    assert names(sort="-total_spent") == ["Ada Lovelace", "Bo Page"]
    assert names(sort="total_spent") == ["Bo Page", "Ada Lovelace"]
    assert names(q="LOVE") == ["Ada Lovelace"]
    # The book searches the latest name, not an old one.
    assert names(q="Reader") == []
    assert names(q="%") == []
    second_page = customers(shops, seller, sid, sort="name", per_page=1, page=2)
    assert (second_page["total"], second_page["page"], second_page["per_page"]) == (2, 2, 1)
    assert [row["name"] for row in second_page["customers"]] == ["Bo Page"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"sort": "age"}, "sort"), ({"q": "x" * 201}, "q"), ({"per_page": "0"}, None)],
)
def test_a_bad_list_query_is_422_naming_what_to_fix(shops, seller, book, params, field):
    shop, _listing, _orders = book
    response = shops.client.get(
        f"/shops/{shop['id']}/customers", query_string=params, headers=seller.headers()
    )
    assert response.status_code == 422
    if field:
        assert field in response.get_json()["fields"]


def test_one_customer_shows_their_orders_newest_first(shops, seller, book):
    shop, _listing, orders = book

    response = shops.client.get(
        f"/shops/{shop['id']}/customers/{ADA.user_id}", headers=seller.headers()
    )

    assert response.status_code == 200
    body = response.get_json()
    assert (body["name"], body["order_count"], body["notes"], body["tags"]) == (
        "Ada Lovelace",
        3,
        "",
        [],
    )
    assert [(o["id"], o["status"]) for o in body["orders"]] == [
        (orders["third"].shop_order_id, "pending"),
        (orders["second"].shop_order_id, "declined"),
        (orders["first"].shop_order_id, "accepted"),
    ]
    assert body["orders"][0]["total"] == {"amount": 1700, "currency": "EUR"}
    assert body["orders"][0]["titles"] == ["The Name of the Rose"]


def test_notes_and_tags_are_set_trimmed_and_deduplicated(shops, seller, book):
    shop, _listing, _orders = book
    tags = ["  collects first editions ", "No plastic wrapping", "Collects First Editions"]

    response = patch_notes(shops, seller, shop["id"], ADA.user_id, notes=f"  {NOTE}\n", tags=tags)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["notes"] == NOTE
    assert response.get_json()["tags"] == ["collects first editions", "No plastic wrapping"]
    # Only what is sent changes.
    response = patch_notes(shops, seller, shop["id"], ADA.user_id, notes="Prefers email")
    assert response.get_json()["tags"] == ["collects first editions", "No plastic wrapping"]
    listed = customers(shops, seller, shop["id"], q="Ada")["customers"][0]
    assert listed["tags"] == ["collects first editions", "No plastic wrapping"]
    stored = shops.get(ShopCustomer, (shop["id"], ADA.user_id))
    assert (stored.notes, stored.updated_by) == ("Prefers email", seller.user_id)


def test_staff_can_keep_the_book_too(shops, seller, book):
    shop, _listing, _orders = book
    staff = add_staff(shops, seller, shop["id"])
    response = patch_notes(shops, staff, shop["id"], BO.user_id, tags=["regular"])
    assert response.status_code == 200
    assert customers(shops, seller, shop["id"], q="Bo")["customers"][0]["tags"] == ["regular"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"notes": "x" * 2001}, "notes"),
        ({"tags": [f"tag {n}" for n in range(21)]}, "tags"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"tags": ["fine", "   "]}, "tags"),
        ({"tags": "not a list"}, "tags"),
        ({"notes": 12}, "notes"),
    ],
)
def test_bad_notes_or_tags_are_422_naming_the_field_and_change_nothing(
    shops, seller, book, body, field
):
    shop, _listing, _orders = book
    assert (
        patch_notes(shops, seller, shop["id"], ADA.user_id, notes=NOTE, tags=["kept"]).status_code
        == 200
    )

    response = patch_notes(shops, seller, shop["id"], ADA.user_id, **body)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    stored = shops.get(ShopCustomer, (shop["id"], ADA.user_id))
    assert (stored.notes, stored.tags) == (NOTE, ["kept"])


def test_twenty_tags_and_2000_characters_are_allowed(shops, seller, book):
    shop, _listing, _orders = book
    tags = [f"tag {n}" for n in range(20)] + ["TAG 0"]  # a duplicate does not count
    response = patch_notes(shops, seller, shop["id"], ADA.user_id, notes="n" * 2000, tags=tags)
    assert response.status_code == 200, response.get_json()
    assert len(response.get_json()["tags"]) == 20


def test_someone_who_never_ordered_here_is_no_customer(shops, seller, book):
    shop, _listing, _orders = book
    other = make_seller("Other")
    other_shop = shops.open_shop(other, name="Elsewhere")
    elsewhere = shops.add_listing(other, other_shop["id"])
    stranger = Buyer(user_id="u-cy", name="Cy Elsewhere")
    place(shops, other_shop["id"], elsewhere, stranger, days=1)

    url = f"/shops/{shop['id']}/customers/{stranger.user_id}"
    assert shops.client.get(url, headers=seller.headers()).status_code == 404
    response = patch_notes(shops, seller, shop["id"], stranger.user_id, notes="who?")
    assert response.status_code == 404
    assert response.get_json()["error"] == "no such customer in this shop"
    assert shops.count(ShopCustomer) == 0
    assert customers(shops, seller, shop["id"])["total"] == 2


def test_the_order_says_whether_its_buyer_is_returning_with_the_notes(shops, seller, book):
    shop, _listing, orders = book
    patch_notes(shops, seller, shop["id"], ADA.user_id, notes=NOTE, tags=["first editions"])

    def summary(event) -> dict:
        url = f"/shops/{shop['id']}/orders/{event.shop_order_id}"
        return shops.client.get(url, headers=seller.headers()).get_json()["customer"]

    assert summary(orders["first"]) == {
        "returning": False,
        "earlier_orders": 0,
        "notes": NOTE,
        "tags": ["first editions"],
    }
    assert summary(orders["third"])["returning"] is True
    assert summary(orders["third"])["earlier_orders"] == 2
    assert summary(orders["bo"]) == {
        "returning": False,
        "earlier_orders": 0,
        "notes": "",
        "tags": [],
    }
    listed = shops.client.get(f"/shops/{shop['id']}/orders", headers=seller.headers())
    by_id = {order["id"]: order["customer"] for order in listed.get_json()["orders"]}
    assert by_id[orders["second"].shop_order_id]["earlier_orders"] == 1
    assert by_id[orders["third"].shop_order_id]["notes"] == NOTE
    assert by_id[orders["bo"].shop_order_id]["returning"] is False


def test_earlier_orders_count_only_this_shop(shops, seller, book):
    _shop, _listing, _orders = book
    other = make_seller("Other")
    other_shop = shops.open_shop(other, name="Elsewhere")
    elsewhere = shops.add_listing(other, other_shop["id"])
    there = place(shops, other_shop["id"], elsewhere, ADA, days=20)

    url = f"/shops/{other_shop['id']}/orders/{there.shop_order_id}"
    summary = shops.client.get(url, headers=other.headers()).get_json()["customer"]
    assert (summary["returning"], summary["earlier_orders"], summary["notes"]) == (False, 0, "")


def test_the_customers_export_has_history_tags_and_notes(shops, seller, book):
    shop, _listing, _orders = book
    patch_notes(shops, seller, shop["id"], ADA.user_id, notes=NOTE, tags=["first eds", "gift"])
    evil = Buyer(user_id="u-eve", name='=HYPERLINK("http://x")')
    place(shops, shop["id"], _listing, evil, days=2)

    response = shops.client.get(
        f"/shops/{shop['id']}/export/customers.csv", headers=seller.headers()
    )

    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    rows = {row["buyer_user_id"]: row for row in csv.DictReader(io.StringIO(text))}
    ada = rows[ADA.user_id]
    assert (ada["buyer_name"], ada["orders"], ada["total_spent"], ada["currency"]) == (
        "Ada Lovelace",
        "3",
        "34.00",
        "EUR",
    )
    assert (ada["tags"], ada["notes"]) == ("first eds; gift", NOTE)
    assert ada["first_order_at"].startswith("2026-03-01T10:00")
    assert ada["last_order_at"].startswith("2026-03-10T10:00")
    assert rows["u-eve"]["buyer_name"] == '\'=HYPERLINK("http://x")'
    assert response.get_data().startswith("\ufeff".encode())


def test_an_accepted_extra_charge_counts_in_what_the_customer_spent(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    event = place(shops, shop["id"], listing, ADA, days=0)
    with shops.runtime.session_factory.begin() as session:
        session.get(ShopOrder, event.shop_order_id).extra_charged_amount = 450

    (ada,) = customers(shops, seller, shop["id"])["customers"]
    orders_csv = (
        shops.client.get(f"/shops/{shop['id']}/export/orders.csv", headers=seller.headers())
        .get_data()
        .decode("utf-8-sig")
    )

    # 12.50 + 4.50 shipping + 4.50 extra.
    assert ada["total_spent"] == [{"amount": 2150, "currency": "EUR"}]
    (row,) = csv.DictReader(io.StringIO(orders_csv))
    assert row["total"] == "21.50"


# --- nobody but the shop's members ------------------------------------------------------


def book_requests(shop_id: str, user_id: str) -> list[tuple[str, str, dict | None]]:
    base = f"/shops/{shop_id}"
    return [
        ("GET", f"{base}/customers", None),
        ("GET", f"{base}/customers?q=Ada", None),
        ("GET", f"{base}/customers/{user_id}", None),
        ("PATCH", f"{base}/customers/{user_id}", {"notes": "mine now", "tags": ["x"]}),
        ("GET", f"{base}/orders", None),
        ("GET", f"{base}/export/customers.csv", None),
    ]


@pytest.mark.parametrize("who", ["member of another shop", "shopper with no shop", "the buyer"])
def test_nobody_else_reads_or_changes_the_book(shops, seller, book, who):
    shop, _listing, orders = book
    patch_notes(shops, seller, shop["id"], ADA.user_id, notes=NOTE, tags=["secret tag"])
    if who == "member of another shop":
        intruder = make_seller("Mallory")
        shops.open_shop(intruder, name="Mallory's")
    elif who == "shopper with no shop":
        intruder = make_seller("Shopper")
    else:
        intruder = make_seller("Ada")
        intruder.user_id = ADA.user_id
    requests = book_requests(shop["id"], ADA.user_id) + [
        ("GET", f"/shops/{shop['id']}/orders/{orders['third'].shop_order_id}", None)
    ]

    for method, url, body in requests:
        response = shops.client.open(url, method=method, json=body, headers=intruder.headers())
        assert response.status_code == 404, (method, url)
        text = response.get_data(as_text=True)
        for secret in (NOTE, "secret tag", "Ada Lovelace", "mine now"):
            assert secret not in text, (method, url)

    stored = shops.get(ShopCustomer, (shop["id"], ADA.user_id))
    assert (stored.notes, stored.tags) == (NOTE, ["secret tag"])


def test_another_shops_customer_is_not_reachable_through_ones_own_shop(shops, seller, book):
    shop, _listing, _orders = book
    mallory = make_seller("Mallory")
    own = shops.open_shop(mallory, name="Mallory's")
    patch_notes(shops, seller, shop["id"], ADA.user_id, notes=NOTE)

    for method, url, body in book_requests(own["id"], ADA.user_id)[2:4]:
        response = shops.client.open(url, method=method, json=body, headers=mallory.headers())
        assert response.status_code == 404, (method, url)
        assert NOTE not in response.get_data(as_text=True)
    assert customers(shops, mallory, own["id"])["customers"] == []
    assert shops.count(ShopCustomer) == 1


# --- through the broker ------------------------------------------------------------------


@pytest.fixture
def shops_on_broker(database_url, amqp_prefix):
    service = build_service(database_url, amqp_prefix=amqp_prefix)
    yield service
    service.runtime.engine.dispose()


def test_a_second_order_through_the_broker_comes_from_a_returning_customer(shops_on_broker, seller):
    service = shops_on_broker
    shop = service.open_shop(seller)
    listing = service.add_listing(seller, shop["id"], quantity=5)
    first = order_placed(shop["id"], [(listing, 1)], buyer=ADA, placed_at=START)
    second = order_placed(
        shop["id"], [(listing, 1)], buyer=ADA, placed_at=START + timedelta(days=3)
    )

    with support.running(build(service.runtime)):
        publish(service, (first, encode(wrap(first))))
        support.wait_for(lambda: service.get(ShopOrder, first.shop_order_id))
        assert patch_notes(service, seller, shop["id"], ADA.user_id, notes=NOTE).status_code == 200
        publish(service, (second, encode(wrap(second))))
        support.wait_for(lambda: service.get(ShopOrder, second.shop_order_id))

    url = f"/shops/{shop['id']}/orders/{second.shop_order_id}"
    summary = service.client.get(url, headers=seller.headers()).get_json()["customer"]
    assert (summary["returning"], summary["earlier_orders"], summary["notes"]) == (True, 1, NOTE)
    (ada,) = customers(service, seller, shop["id"])["customers"]
    assert (ada["order_count"], ada["total_spent"]) == (2, [{"amount": 3400, "currency": "EUR"}])


def test_customers_me_shows_a_buyer_what_shops_note_about_them_and_no_one_else(shops, seller, book):
    shop, _listing, _orders = book
    assert (
        patch_notes(shops, seller, shop["id"], ADA.user_id, notes=NOTE, tags=["vip"]).status_code
        == 200
    )

    ada = shops.client.get("/customers/me", headers=support.auth_header(ADA.user_id))
    bo = shops.client.get("/customers/me", headers=support.auth_header(BO.user_id))

    assert ada.status_code == 200
    [record] = ada.get_json()["records"]
    assert record["shop_id"] == shop["id"] and record["shop_name"] == shop["name"]
    assert record["notes"] == NOTE and record["tags"] == ["vip"]
    assert bo.get_json()["records"] == []
    assert shops.client.get("/customers/me").status_code == 401
