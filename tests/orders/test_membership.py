"""A member the owner removed loses the shop's side of the orders service at once: the
service follows `shop.members_changed` on the real broker, whatever the token still says."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.common.contracts import ShopMember, ShopMembersChanged, encode, wrap
from services.orders import db
from services.orders.worker import build
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.factories import listing

pytestmark = pytest.mark.integration

# The token is signed before the removal and still names the shop: only the service's own
# knowledge of the membership can refuse it.
OWNER = support.auth_header("olga", "Olga", shops=("a",))
SAM = support.auth_header("sam", "Sam", shops=("a",))
ADA = support.auth_header("ada", "Ada")


def members_changed(service: OrdersService, *user_ids: str, revision: int) -> None:
    event = ShopMembersChanged(
        shop_id="a",
        slug="hogarth-books",
        name="Hogarth Books",
        members=[
            ShopMember(user_id=user_id, role="owner" if user_id == "olga" else "staff")
            for user_id in user_ids
        ],
        revision=revision,
    )
    envelope = wrap(event)
    support.publish(service.runtime.topology, (event.routing_key(), encode(envelope)))


def known_revision(service: OrdersService) -> int | None:
    with service.runtime.session_factory() as session:
        return session.scalar(
            select(db.ShopMembership.revision).where(db.ShopMembership.shop_id == "a")
        )


def shop_side(service: OrdersService, headers: dict, *, thread: dict, part: dict) -> dict:
    """Every shop-side route of the orders service, as the holder of `headers` sees it."""
    client = service.client
    conversation = f"/shops/a/conversations/{thread['id']}"
    part_thread = f"/shops/a/orders/{part['shop_order_id']}/conversation"
    return {
        "statement": client.get("/shops/a/statement", headers=headers).status_code,
        "statement.csv": client.get("/shops/a/statement.csv", headers=headers).status_code,
        "orders-summary": client.get("/shops/a/orders-summary", headers=headers).status_code,
        "conversations": client.get("/shops/a/conversations", headers=headers).status_code,
        "conversation": client.get(conversation, headers=headers).status_code,
        "reply": client.post(
            f"{conversation}/messages", json={"text": "Yes, it is."}, headers=headers
        ).status_code,
        "part thread": client.get(part_thread, headers=headers).status_code,
        "part message": client.post(
            f"{part_thread}/messages", json={"text": "Shipped today."}, headers=headers
        ).status_code,
        "answer review": client.post(
            "/shops/a/reviews/no-such-review/answer", json={"text": "Thanks"}, headers=headers
        ).status_code,
    }


def unread_shops(service: OrdersService, headers: dict) -> dict:
    return service.client.get("/conversations/unread", headers=headers).get_json()["shops"]


def test_a_removed_member_loses_every_shop_route_at_once(orders_on_broker):
    service = orders_on_broker
    book = service.listings.add(listing(shop_id="a", shop_name="Hogarth Books", title="Emma"))
    asked = service.client.post(
        f"/listings/{book.id}/questions", json={"text": "Is it signed?"}, headers=ADA
    )
    assert asked.status_code == 201
    thread = asked.get_json()
    order = service.order_in_cart("ada", service.listings.add(listing(shop_id="a")))
    part = order["parts"][0]

    with support.running(build(service.runtime)):
        members_changed(service, "olga", "sam", revision=1)
        support.wait_for(lambda: known_revision(service) == 1)
        before = shop_side(service, SAM, thread=thread, part=part)

        members_changed(service, "olga", revision=2)
        support.wait_for(lambda: known_revision(service) == 2)
        messages_before = service.count(db.ConversationMessage)
        after = shop_side(service, SAM, thread=thread, part=part)
        messages_after = service.count(db.ConversationMessage)

        # A late copy of the older list does not bring the member back.
        members_changed(service, "olga", "sam", revision=1)
        members_changed(service, "olga", revision=3)
        support.wait_for(lambda: known_revision(service) == 3)
        still = shop_side(service, SAM, thread=thread, part=part)

    assert before["statement"] == 200 and before["conversations"] == 200
    assert after == dict.fromkeys(after, 404), after
    assert still == dict.fromkeys(still, 404), still
    assert messages_after == messages_before
    assert unread_shops(service, SAM) == {}
    assert set(unread_shops(service, OWNER)) == {"a"}
    owner = shop_side(service, OWNER, thread=thread, part=part)
    assert owner["statement"] == 200 and owner["conversations"] == 200


def test_a_shop_never_heard_of_relies_on_the_token(orders):
    # Until a shop's membership changes, the gateway's token (read fresh from the shops
    # service on every request) is all there is to go on.
    response = orders.client.get("/shops/a/statement", headers=SAM)

    assert response.status_code == 200
    assert orders.client.get("/shops/b/statement", headers=SAM).status_code == 404
