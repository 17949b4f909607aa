"""The buyer may say why they ask to cancel a part; the shop hears it with the request."""

from __future__ import annotations

import json

import pytest

from services.orders.use_cases.buyer_actions import CANCELLED_BY_BUYER
from tests import support
from tests.orders.test_api_parts import part_url, two_shop_order

pytestmark = pytest.mark.integration


def requested_reasons(service) -> list[str]:  # noqa: ANN001
    return [
        json.loads(row.body)["payload"]["reason"]
        for row in service.outbox()
        if row.event_type == "order.cancellation_requested"
    ]


def test_the_reason_is_passed_on_without_its_surrounding_spaces(orders):
    order = two_shop_order(orders)

    response = orders.client.post(
        part_url(order, order["parts"][0], "cancel"),
        json={"reason": "  Ordered the wrong edition.\n  "},
        headers=support.auth_header("ada"),
    )

    assert response.status_code == 202, response.get_json()
    assert requested_reasons(orders) == ["Ordered the wrong edition."]


def test_a_request_without_a_body_still_asks_and_says_the_buyer_asked(orders):
    order = two_shop_order(orders)

    response = orders.client.post(
        part_url(order, order["parts"][0], "cancel"), headers=support.auth_header("ada")
    )

    assert response.status_code == 202
    assert requested_reasons(orders) == [CANCELLED_BY_BUYER]


def test_a_reason_with_a_control_character_is_refused_and_asks_nothing(orders):
    order = two_shop_order(orders)

    response = orders.client.post(
        part_url(order, order["parts"][0], "cancel"),
        json={"reason": "wrong\x00edition"},
        headers=support.auth_header("ada"),
    )

    assert response.status_code == 422
    assert "reason" in response.get_json()["fields"]
    assert requested_reasons(orders) == []
