"""What the shops service tells the notifications service: each shop's members, and the
orders waiting for an answer (on arrival, and once as a reminder before the deadline)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from services.common.clock import utcnow
from services.shops.db import Shop, ShopOrder
from services.shops.notices import announce_unannounced_members, remind_before_deadline
from tests.shops.conftest import add_staff, order_placed

pytestmark = pytest.mark.integration

LEAD = timedelta(hours=12)


def members_of(payload: dict) -> list[tuple[str, str]]:
    return [(member["user_id"], member["role"]) for member in payload["members"]]


def test_opening_a_shop_and_changing_its_members_announce_the_whole_list(shops, seller):
    shop = shops.open_shop(seller)
    staff = add_staff(shops, seller, shop["id"])
    removed = shops.client.delete(
        f"/shops/{shop['id']}/members/{staff.user_id}", headers=seller.headers()
    )
    assert removed.status_code == 204

    announced = shops.outbox("shop.members_changed")
    assert [members_of(payload) for payload in announced] == [
        [(seller.user_id, "owner")],
        sorted([(seller.user_id, "owner"), (staff.user_id, "staff")]),
        [(seller.user_id, "owner")],
    ]
    assert [payload["revision"] for payload in announced] == [1, 2, 3]
    assert {(payload["shop_id"], payload["name"]) for payload in announced} == {
        (shop["id"], "Rue des Livres")
    }


def test_a_refused_member_change_announces_nothing(shops, seller):
    shop = shops.open_shop(seller)
    refused = shops.client.delete(
        f"/shops/{shop['id']}/members/{seller.user_id}", headers=seller.headers()
    )

    assert refused.status_code == 409
    assert len(shops.outbox("shop.members_changed")) == 1


def test_shops_never_announced_are_announced_once_on_start(shops, seller):
    shop = shops.open_shop(seller)
    with shops.runtime.session_factory.begin() as session:
        # As a shop opened before members were announced.
        session.execute(update(Shop).values(members_revision=0))

    assert announce_unannounced_members(shops.runtime.session_factory) == 1
    assert announce_unannounced_members(shops.runtime.session_factory) == 0

    announced = shops.outbox("shop.members_changed")
    assert len(announced) == 2  # the one at opening, then the one on start
    assert announced[-1]["shop_id"] == shop["id"]
    assert members_of(announced[-1]) == [(seller.user_id, "owner")]


def test_an_order_awaiting_an_answer_is_announced_with_its_deadline(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"])
    event = order_placed(shop["id"], [(listing, 1)])

    shops.deliver(event)

    order = shops.get(ShopOrder, event.shop_order_id)
    [awaiting] = shops.outbox("shop_order.awaiting_answer")
    assert (awaiting["shop_order_id"], awaiting["reminder"]) == (event.shop_order_id, False)
    assert awaiting["answer_by"].startswith(order.respond_by.isoformat()[:19])


def test_an_auto_accepted_order_awaits_no_answer(shops, seller):
    shop = shops.open_shop(seller)
    shops.patch_shop(seller, shop["id"], order_handling={"mode": "auto_accept"})
    listing = shops.add_listing(seller, shop["id"])

    shops.deliver(order_placed(shop["id"], [(listing, 1)]))

    assert shops.outbox("shop_order.awaiting_answer") == []


def test_the_reminder_goes_once_shortly_before_the_deadline(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], quantity=3)
    waiting, answered = (order_placed(shop["id"], [(listing, 1)]) for _ in range(2))
    shops.deliver(waiting)
    shops.deliver(answered)
    shops.client.post(
        f"/shops/{shop['id']}/orders/{answered.shop_order_id}/accept", headers=seller.headers()
    )
    factory = shops.runtime.session_factory

    assert remind_before_deadline(factory, lead=LEAD) == 0  # 48 hours left
    near = utcnow() + timedelta(hours=37)
    assert remind_before_deadline(factory, lead=LEAD, now=near) == 1
    assert remind_before_deadline(factory, lead=LEAD, now=near + timedelta(hours=1)) == 0

    reminders = [p for p in shops.outbox("shop_order.awaiting_answer") if p["reminder"]]
    assert [p["shop_order_id"] for p in reminders] == [waiting.shop_order_id]


def test_a_short_window_is_reminded_at_its_middle(shops, seller):
    shop = shops.open_shop(seller)
    shops.patch_shop(seller, shop["id"], order_handling={"response_hours": 4})
    listing = shops.add_listing(seller, shop["id"])
    shops.deliver(order_placed(shop["id"], [(listing, 1)]))
    factory = shops.runtime.session_factory

    assert remind_before_deadline(factory, lead=LEAD, now=utcnow() + timedelta(hours=1)) == 0
    assert remind_before_deadline(factory, lead=LEAD, now=utcnow() + timedelta(hours=2.5)) == 1
