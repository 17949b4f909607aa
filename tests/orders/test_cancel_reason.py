"""The buyer may say why they cancel a part; the shop hears it with the cancellation."""

from __future__ import annotations

import json

import pytest

from tests import support
from tests.orders.test_api_parts import part_url, two_shop_order

pytestmark = pytest.mark.integration


def cancelled_reasons(service) -> list[str]:  # noqa: ANN001
    return [
        json.loads(row.body)["payload"]["reason"]
        for row in service.outbox()
        if row.event_type == "order.cancelled"
    ]


def test_cancel_with_a_reason_tells_the_shop_why(orders):
    order = two_shop_order(orders)
    part = order["parts"][0]

    response = orders.client.post(
        part_url(order, part, "cancel"),
        json={"reason": "  Ordered the wrong edition.  "},
        headers=support.auth_header("ada"),
    )

    assert response.status_code == 200, response.get_json()
    [reason] = cancelled_reasons(orders)
    assert reason.endswith("Their reason: Ordered the wrong edition.")


def test_cancel_without_a_body_still_works_and_gives_no_reason(orders):
    order = two_shop_order(orders)

    response = orders.client.post(
        part_url(order, order["parts"][0], "cancel"), headers=support.auth_header("ada")
    )

    assert response.status_code == 200
    assert "Their reason" not in cancelled_reasons(orders)[0]


def test_cancel_with_a_reason_too_long_is_refused_and_cancels_nothing(orders):
    order = two_shop_order(orders)

    response = orders.client.post(
        part_url(order, order["parts"][0], "cancel"),
        json={"reason": "x" * 401},
        headers=support.auth_header("ada"),
    )

    assert response.status_code == 422
    assert "reason" in response.get_json()["fields"]
    assert cancelled_reasons(orders) == []
