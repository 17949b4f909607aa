"""The operator suspends a shop and reinstates it: the shops service stages what its people
are told (shop.suspension_changed, with the reason) beside shop.updated, once per change.
The whole journey through search and checkout: tests/saga/test_shop_suspension.py."""

from __future__ import annotations

import pytest

from services.common.auth import Operator, issue_operator_token
from tests import support
from tests.shops.conftest import make_seller

pytestmark = pytest.mark.integration


def operator() -> dict:
    token = issue_operator_token(Operator("op-1", "Olive Operator"), secret=support.SECRET)
    return {"Authorization": f"Bearer {token}"}


def test_suspending_and_reinstating_stage_the_news_for_the_shops_people_once(shops):
    shop = shops.open_shop(make_seller(), currency="EUR")
    path = f"/operator/shops/{shop['id']}"
    reason = "Listings of counterfeit first editions."

    first = shops.client.post(f"{path}/suspend", json={"reason": reason}, headers=operator())
    again = shops.client.post(f"{path}/suspend", json={"reason": reason}, headers=operator())
    back = shops.client.post(f"{path}/reinstate", json={"reason": "Sorted."}, headers=operator())

    assert (first.status_code, again.status_code, back.status_code) == (200, 200, 200)
    told = shops.outbox("shop.suspension_changed")
    assert [(t["shop_id"], t["suspended"], t["reason"]) for t in told] == [
        (shop["id"], True, reason),
        (shop["id"], False, "Sorted."),
    ]


def test_a_refused_suspension_stages_nothing(shops):
    shop = shops.open_shop(make_seller(), currency="EUR")

    refused = shops.client.post(
        f"/operator/shops/{shop['id']}/suspend", json={"reason": ""}, headers=operator()
    )

    assert refused.status_code == 422
    assert shops.outbox("shop.suspension_changed") == []
