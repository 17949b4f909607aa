"""POST /buyers-among: which of the people a shopper follows bought from which shops."""

from __future__ import annotations

import pytest

from services.common.contracts import (
    ShopOrderAccepted,
    ShopOrderCancelled,
    ShopOrderDeclined,
    ShopOrderShipped,
    wrap,
)
from services.orders.bootstrap import payment_providers
from services.orders.use_cases.shop_answers import ShopAnswers
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.factories import listing
from tests.orders.test_worker import about, shipped

pytestmark = pytest.mark.integration


def bought(service: OrdersService, user: str, shop_id: str) -> tuple[dict, dict]:
    """`user` checks out one item of `shop_id`; returns the order and its part."""
    info = service.listings.add(listing(shop_id=shop_id))
    order = service.order_in_cart(user, info, key=f"{user}-{shop_id}")
    return order, order["parts"][0]


def answer(service: OrdersService, order: dict, part: dict, *events) -> None:
    """Apply the shop's answers as the worker would, in one transaction each."""
    handlers = ShopAnswers(payment_providers(service.runtime))
    for event in events:
        envelope = wrap(event)
        handle = {
            ShopOrderAccepted: handlers.on_accepted,
            ShopOrderDeclined: handlers.on_declined,
            ShopOrderShipped: handlers.on_shipped,
            ShopOrderCancelled: handlers.on_cancelled,
        }[type(event)]
        with service.runtime.session_factory.begin() as session:
            handle(session, event, envelope)


def ask(service: OrdersService, body: dict):
    return service.client.post("/buyers-among", json=body, headers=support.service_header())


def test_buyers_among_counts_accepted_shipped_and_received_parts_only(orders):
    accepted_order, accepted = bought(orders, "ann", "shop-a")
    answer(orders, accepted_order, accepted, about(accepted, accepted_order, ShopOrderAccepted))
    shipped_order, shipped_part = bought(orders, "ben", "shop-a")
    answer(orders, shipped_order, shipped_part, shipped(shipped_part, shipped_order))
    received_order, received = bought(orders, "cat", "shop-b")
    answer(orders, received_order, received, shipped(received, received_order))
    url = f"/orders/{received_order['id']}/parts/{received['shop_order_id']}/received"
    assert orders.client.post(url, headers=support.auth_header("cat")).status_code == 200
    bought(orders, "dan", "shop-a")  # placed, never answered
    declined_order, declined = bought(orders, "eve", "shop-a")
    answer(
        orders,
        declined_order,
        declined,
        about(declined, declined_order, ShopOrderDeclined, reason="sold at the fair"),
    )
    cancelled_order, cancelled = bought(orders, "fay", "shop-a")
    url = f"/orders/{cancelled_order['id']}/parts/{cancelled['shop_order_id']}/cancel"
    assert orders.client.post(url, headers=support.auth_header("fay")).status_code == 202
    answer(
        orders, cancelled_order, cancelled, about(cancelled, cancelled_order, ShopOrderCancelled)
    )

    response = ask(
        orders,
        {
            "shop_ids": ["shop-a", "shop-b", "shop-c"],
            "user_ids": ["ann", "ben", "cat", "dan", "eve", "fay"],
        },
    )

    assert response.status_code == 200
    assert response.get_json() == {
        "shops": {
            "shop-a": {"count": 2, "user_ids": ["ann", "ben"], "reviews": []},
            "shop-b": {"count": 1, "user_ids": ["cat"], "reviews": []},
            "shop-c": {"count": 0, "user_ids": [], "reviews": []},
        }
    }


def test_buyers_among_never_names_a_buyer_who_was_not_asked_about(orders):
    order, part = bought(orders, "stranger", "shop-a")
    answer(orders, order, part, about(part, order, ShopOrderAccepted))
    other_order, other_part = bought(orders, "friend", "shop-a")
    answer(orders, other_order, other_part, about(other_part, other_order, ShopOrderAccepted))

    response = ask(orders, {"shop_ids": ["shop-a", "shop-a"], "user_ids": ["friend", "nobody"]})

    assert response.get_json() == {
        "shops": {"shop-a": {"count": 1, "user_ids": ["friend"], "reviews": []}}
    }


def review(service: OrdersService, user: str, order: dict, part: dict, text: str) -> dict:
    response = service.client.post(
        f"/orders/{order['id']}/parts/{part['shop_order_id']}/review",
        json={"rating": 5, "text": text},
        headers=support.auth_header(user, name=user.capitalize()),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_buyers_among_gives_the_public_reviews_of_those_asked_about(orders):
    written = {}
    for user in ("friend", "stranger"):
        order, part = bought(orders, user, "shop-a")
        answer(orders, order, part, shipped(part, order))
        written[user] = review(orders, user, order, part, f"Lovely parcel, says {user}.")

    response = ask(orders, {"shop_ids": ["shop-a", "shop-b"], "user_ids": ["friend"]})

    shops = response.get_json()["shops"]
    (shown,) = shops["shop-a"]["reviews"]
    assert shown["id"] == written["friend"]["id"]
    assert (shown["reviewer_name"], shown["text"]) == ("Friend", "Lovely parcel, says friend.")
    assert "buyer_user_id" not in shown and "shop_order_id" not in shown
    assert shops["shop-b"]["reviews"] == []


def test_buyers_among_with_nobody_to_ask_about_answers_zero_per_shop(orders_on_sqlite):
    response = ask(orders_on_sqlite, {"shop_ids": ["shop-a"], "user_ids": []})

    assert response.status_code == 200
    assert response.get_json() == {"shops": {"shop-a": {"count": 0, "user_ids": [], "reviews": []}}}


def test_buyers_among_refuses_too_many_ids_naming_each_field(orders_on_sqlite):
    response = ask(
        orders_on_sqlite,
        {
            "shop_ids": [f"shop-{n}" for n in range(51)],
            "user_ids": [f"user-{n}" for n in range(501)],
        },
    )

    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert set(fields) == {"shop_ids", "user_ids"}
    assert "at most 50" in fields["shop_ids"] and "at most 500" in fields["user_ids"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"user_ids": []}, "shop_ids"),
        ({"shop_ids": [""], "user_ids": []}, "shop_ids.0"),
        ({"shop_ids": [], "user_ids": ["x" * 65]}, "user_ids.0"),
        ({"shop_ids": "shop-a", "user_ids": []}, "shop_ids"),
    ],
)
def test_buyers_among_refuses_malformed_ids(orders_on_sqlite, body, field):
    response = ask(orders_on_sqlite, body)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_buyers_among_needs_a_service_token(orders_on_sqlite):
    response = orders_on_sqlite.client.post(
        "/buyers-among", json={"shop_ids": ["shop-a"], "user_ids": ["ann"]}
    )
    forged = orders_on_sqlite.client.post(
        "/buyers-among",
        json={"shop_ids": ["shop-a"], "user_ids": ["ann"]},
        headers={"Authorization": "Bearer not-a-token"},
    )

    assert response.status_code == 401
    assert forged.status_code == 401


def test_buyers_among_refuses_a_persons_token(orders_on_sqlite):
    # Any signed-in person's token used to answer where anyone bought: only the gateway,
    # calling as itself, may ask.
    body = {"shop_ids": ["shop-a"], "user_ids": ["ann"]}
    person = orders_on_sqlite.client.post(
        "/buyers-among", json=body, headers=support.auth_header("asker", shops=("shop-a",))
    )
    other_caller = orders_on_sqlite.client.post(
        "/buyers-among", json=body, headers=support.service_header("catalog")
    )

    assert person.status_code == 403
    assert "other services" in person.get_json()["error"]
    assert other_caller.status_code == 403


def test_a_service_token_never_stands_for_a_person(orders_on_sqlite):
    response = orders_on_sqlite.client.get("/cart", headers=support.service_header())

    assert response.status_code == 401
