"""Bad input to the orders API answers 4xx with a reason and writes nothing: an order is
never placed to a made-up country, and no broken text reaches a message or a review."""

from __future__ import annotations

import pytest

from services.orders import db
from tests import support
from tests.orders.factories import listing

ADA = support.auth_header("ada", "Ada")


def written(orders) -> tuple[int, ...]:  # noqa: ANN001 - an OrdersService
    return tuple(
        orders.count(model)
        for model in (db.Order, db.CartLine, db.OutboxMessage, db.ConversationMessage)
    )


@pytest.mark.parametrize("country", ["ZZ", "XX", "AA"])
def test_checkout_to_a_made_up_country_is_refused_and_places_nothing(orders, country):
    orders.add_to_cart("ada", orders.listings.add(listing()))
    before = written(orders)

    response = orders.checkout("ada", country=country)

    assert response.status_code == 422
    assert "ISO 3166" in response.get_json()["fields"]["country"]
    assert written(orders) == before


def test_the_cart_refuses_a_made_up_country(orders_on_sqlite):
    put = orders_on_sqlite.client.put("/cart/country", json={"country": "ZZ"}, headers=ADA)
    get = orders_on_sqlite.client.get("/cart", query_string={"country": "ZZ"}, headers=ADA)

    assert put.status_code == 422 and get.status_code == 422


@pytest.mark.parametrize(
    ("text", "reason"), [("Hello \ud800", "surrogate"), ("Hello \x1b", "control character")]
)
def test_broken_text_never_reaches_a_message_or_an_order(orders, text, reason):
    info = orders.listings.add(listing(shop_id="a"))
    orders.add_to_cart("ada", info)
    before = written(orders)

    attempts = [
        orders.client.post(f"/listings/{info.id}/questions", json={"text": text}, headers=ADA),
        orders.checkout("ada", shipping_name=text),
        orders.checkout("ada", shipping_address=f"1 Row\n{text}"),
        orders.checkout("ada", key=text),
    ]

    for response in attempts:
        assert response.status_code == 422, response.get_json()
        assert reason in response.get_data(as_text=True)
    assert written(orders) == before


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b"{" * 50 + b"}" * 50, b'{"listing_id": "x", "quantity": NaN}'],
)
def test_malformed_json_is_refused_not_a_crash(orders_on_sqlite, body):
    response = orders_on_sqlite.client.post(
        "/cart/lines", data=body, content_type="application/json", headers=ADA
    )

    assert response.status_code in (400, 422)
    assert orders_on_sqlite.count(db.CartLine) == 0


@pytest.mark.parametrize("total", [10**30, 2**63])
def test_an_expected_total_beyond_any_amount_is_refused(orders_on_sqlite, total):
    orders_on_sqlite.add_to_cart("ada", orders_on_sqlite.listings.add(listing()))

    response = orders_on_sqlite.checkout("ada", expected_total=total)

    assert response.status_code == 422
    assert orders_on_sqlite.count(db.Order) == 0
