"""Conversations over HTTP: questions about listings, order-part threads, unread counts per
side, and that nobody but the shopper and the shop ever sees or changes a thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from services.orders import db
from services.orders.domain.conversation import MAX_MESSAGE
from tests import support
from tests.orders.conftest import OrdersService
from tests.orders.factories import listing

pytestmark = pytest.mark.integration


class Caller(Mapping[str, str]):
    """A person's headers, with a token signed at each use: tokens expire in minutes."""

    def __init__(self, user_id: str, name: str, shops: tuple[str, ...] = ()) -> None:
        self.user_id, self.name, self.shops = user_id, name, shops

    def __getitem__(self, key: str) -> str:
        return support.auth_header(self.user_id, self.name, self.shops)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(("Authorization",))

    def __len__(self) -> int:
        return 1


ADA = Caller("ada", "Ada Lovelace")
EVE = Caller("eve", "Eve")
SELLER_A = Caller("seller-a", "Margaret", shops=("a",))
SELLER_B = Caller("seller-b", "Bruno", shops=("b",))


def ask(service: OrdersService, info, text="Is the dust jacket intact?", headers=ADA):
    return service.client.post(
        f"/listings/{info.id}/questions", json={"text": text}, headers=headers
    )


def shop_book(service: OrdersService):
    return service.listings.add(listing(shop_id="a", shop_name="Hogarth Books", title="Emma"))


def asked(service: OrdersService) -> dict:
    response = ask(service, shop_book(service), text="  Is the dust jacket intact?  ")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def get(service: OrdersService, path: str, headers: dict, **params):
    return service.client.get(path, headers=headers, query_string=params)


def post(service: OrdersService, path: str, headers: dict, text: object = "Thank you"):
    return service.client.post(path, json={"text": text}, headers=headers)


def unread(service: OrdersService, headers: dict) -> dict:
    response = get(service, "/conversations/unread", headers)
    assert response.status_code == 200
    return response.get_json()


def message_count(service: OrdersService) -> int:
    return service.count(db.ConversationMessage)


def ordered(service: OrdersService, user: str = "ada") -> tuple[dict, dict]:
    """An order by `user` with one part from shop a; (order, part)."""
    info = service.listings.add(listing(shop_id="a", shop_name="Hogarth Books", title="Dune"))
    order = service.order_in_cart(user, info, key=f"key-{user}")
    return order, order["parts"][0]


def part_path(order: dict, part: dict) -> str:
    return f"/orders/{order['id']}/parts/{part['shop_order_id']}/conversation"


def shop_part_path(part: dict, shop_id: str = "a") -> str:
    return f"/shops/{shop_id}/orders/{part['shop_order_id']}/conversation"


def test_question_about_a_listing_reaches_the_shop_unread(orders):
    thread = asked(orders)

    assert (thread["topic"], thread["shop_id"], thread["shop_name"]) == (
        "listing",
        "a",
        "Hogarth Books",
    )
    assert (thread["subject"], thread["shopper_name"], thread["unread"]) == (
        "Emma",
        "Ada Lovelace",
        0,
    )
    [message] = thread["messages"]
    assert (message["author_side"], message["author_name"], message["text"]) == (
        "shopper",
        "Ada Lovelace",
        "Is the dust jacket intact?",
    )
    assert unread(orders, SELLER_A) == {"shopper": 0, "shops": {"a": 1}}
    listed = get(orders, "/shops/a/conversations", SELLER_A).get_json()
    assert listed["total"] == 1
    [summary] = listed["conversations"]
    assert (summary["id"], summary["unread"]) == (thread["id"], 1)
    assert summary["last_message"]["text"] == "Is the dust jacket intact?"
    assert "messages" not in summary and "shopper_user_id" not in summary


def test_reading_and_answering_moves_the_unread_count_to_the_other_side(orders):
    thread = asked(orders)
    shop_thread = f"/shops/a/conversations/{thread['id']}"

    read = get(orders, shop_thread, SELLER_A)
    assert read.status_code == 200
    assert read.get_json()["unread"] == 0
    assert unread(orders, SELLER_A)["shops"] == {"a": 0}

    answer = post(orders, f"{shop_thread}/messages", SELLER_A, text="It is, and unclipped.")
    assert answer.status_code == 201, answer.get_json()
    assert [m["author_side"] for m in answer.get_json()["messages"]] == ["shopper", "shop"]
    assert answer.get_json()["messages"][1]["author_name"] == "Margaret"
    assert unread(orders, ADA) == {"shopper": 1, "shops": {}}
    mine = get(orders, "/conversations", ADA, unread="true").get_json()
    assert [(c["id"], c["unread"]) for c in mine["conversations"]] == [(thread["id"], 1)]

    seen = get(orders, f"/conversations/{thread['id']}", ADA).get_json()
    assert seen["messages"][-1]["text"] == "It is, and unclipped."
    assert unread(orders, ADA)["shopper"] == 0
    assert get(orders, "/conversations", ADA, unread="true").get_json()["conversations"] == []


def test_all_conversations_of_a_shopper_with_their_messages_mark_nothing_read(orders):
    thread = asked(orders)
    post(orders, f"/shops/a/conversations/{thread['id']}/messages", SELLER_A, text="It is.")

    everything = get(orders, "/conversations/all", ADA)

    assert everything.status_code == 200
    [whole] = everything.get_json()["conversations"]
    assert [m["text"] for m in whole["messages"]] == ["Is the dust jacket intact?", "It is."]
    assert unread(orders, ADA)["shopper"] == 1
    assert get(orders, "/conversations/all", EVE).get_json() == {"conversations": []}
    assert orders.client.get("/conversations/all").status_code == 401


def test_asking_again_about_the_same_listing_continues_the_thread(orders):
    info = shop_book(orders)
    first = ask(orders, info)
    again = ask(orders, info, text="And the price with postage to Lyon?")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert len(again.get_json()["messages"]) == 2
    assert orders.count(db.Conversation) == 1
    assert unread(orders, SELLER_A)["shops"] == {"a": 2}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "cannot be empty"),
        ("   \n\t ", "cannot be empty"),
        ("x" * (MAX_MESSAGE + 1), f"keep it to {MAX_MESSAGE} characters"),
        (42, "as text"),
        (None, "as text"),
        ("nul \x00 byte", "NUL"),
    ],
)
def test_a_bad_message_is_422_naming_the_field_and_changes_nothing(orders, text, reason):
    thread = asked(orders)
    order, part = ordered(orders)
    before = message_count(orders)

    attempts = [
        ask(orders, shop_book(orders), text=text),
        post(orders, f"/conversations/{thread['id']}/messages", ADA, text=text),
        post(orders, f"/shops/a/conversations/{thread['id']}/messages", SELLER_A, text=text),
        post(orders, f"{part_path(order, part)}/messages", ADA, text=text),
        post(orders, f"{shop_part_path(part)}/messages", SELLER_A, text=text),
    ]

    for response in attempts:
        assert response.status_code == 422, response.get_json()
        assert reason in response.get_json()["fields"]["text"]
    assert message_count(orders) == before
    assert orders.count(db.Conversation) == 1
    assert unread(orders, SELLER_A)["shops"] == {"a": 1}


def test_a_message_of_exactly_the_limit_is_kept_whole(orders):
    response = ask(orders, shop_book(orders), text="y" * MAX_MESSAGE)

    assert response.status_code == 201
    assert response.get_json()["messages"][0]["text"] == "y" * MAX_MESSAGE


def test_a_body_with_unknown_fields_or_no_json_is_refused(orders):
    info = shop_book(orders)
    extra = orders.client.post(
        f"/listings/{info.id}/questions", json={"text": "hi", "shop_id": "b"}, headers=ADA
    )
    not_json = orders.client.post(f"/listings/{info.id}/questions", data="hi", headers=ADA)

    assert extra.status_code == 422
    assert "shop_id" in extra.get_json()["fields"]
    assert not_json.status_code == 400
    assert orders.count(db.Conversation) == 0


def test_question_about_an_unknown_listing_is_404(orders):
    response = orders.client.post(
        "/listings/no-such-listing/questions", json={"text": "Still there?"}, headers=ADA
    )

    assert response.status_code == 404
    assert orders.count(db.Conversation) == 0


def test_a_shop_cannot_start_a_question_to_itself(orders):
    response = ask(orders, shop_book(orders), headers=SELLER_A)

    assert response.status_code == 422
    assert "your own shop" in response.get_json()["error"]
    assert orders.count(db.Conversation) == 0


def test_question_while_the_shops_service_is_down_is_503_and_changes_nothing(orders):
    info = shop_book(orders)
    orders.listings.down = True

    response = ask(orders, info)

    assert response.status_code == 503
    assert orders.count(db.Conversation) == 0


def test_order_part_thread_is_empty_until_someone_writes(orders):
    order, part = ordered(orders)

    for path, headers in ((part_path(order, part), ADA), (shop_part_path(part), SELLER_A)):
        response = get(orders, path, headers)
        assert response.status_code == 200
        assert response.get_json() == {
            "order_id": order["id"],
            "shop_order_id": part["shop_order_id"],
            "conversation": None,
        }
    assert orders.count(db.Conversation) == 0


def test_every_part_thread_of_an_order_comes_in_one_answer_for_its_buyer_only(orders):
    books = [
        orders.listings.add(listing(shop_id=shop, shop_name=f"Shop {shop}", title=f"Book {shop}"))
        for shop in ("a", "b")
    ]
    order = orders.order_in_cart("ada", *books, key="key-two-shops")
    part_a = next(part for part in order["parts"] if part["shop_id"] == "a")
    assert (
        post(orders, f"{shop_part_path(part_a)}/messages", SELLER_A, "Wrapped.").status_code == 201
    )
    assert unread(orders, ADA)["shopper"] == 1

    response = get(orders, f"/orders/{order['id']}/conversations", ADA)

    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    threads = {part["shop_order_id"]: part["conversation"] for part in answer["parts"]}
    assert answer["order_id"] == order["id"]
    assert set(threads) == {part["shop_order_id"] for part in order["parts"]}
    assert threads[part_a["shop_order_id"]]["messages"][0]["text"] == "Wrapped."
    assert [thread for thread in threads.values() if thread is None] == [None]
    # Shown is read, as with one part's thread.
    assert unread(orders, ADA)["shopper"] == 0
    # Someone else's order, or none, is not found.
    assert get(orders, f"/orders/{order['id']}/conversations", EVE).status_code == 404
    assert get(orders, "/orders/nothing/conversations", ADA).status_code == 404


def test_the_shop_may_write_first_about_an_order_part(orders):
    order, part = ordered(orders)

    first = post(orders, f"{shop_part_path(part)}/messages", SELLER_A, text="Which edition?")
    assert first.status_code == 201, first.get_json()
    thread = first.get_json()["conversation"]
    assert (thread["topic"], thread["order_id"], thread["shop_order_id"]) == (
        "order",
        order["id"],
        part["shop_order_id"],
    )
    # The shopper's name is the one the order was placed under.
    assert (thread["subject"], thread["shopper_name"]) == ("Dune", "Test Person")
    assert unread(orders, ADA)["shopper"] == 1

    seen = get(orders, part_path(order, part), ADA).get_json()["conversation"]
    assert (seen["id"], seen["messages"][0]["text"]) == (thread["id"], "Which edition?")
    assert unread(orders, ADA)["shopper"] == 0

    reply = post(orders, f"{part_path(order, part)}/messages", ADA, text="The 1965 one.")
    assert reply.status_code == 201
    assert reply.get_json()["conversation"]["id"] == thread["id"]
    assert orders.count(db.Conversation) == 1
    assert unread(orders, SELLER_A)["shops"] == {"a": 1}
    listed = get(orders, "/conversations", ADA).get_json()["conversations"]
    assert [(c["id"], c["topic"]) for c in listed] == [(thread["id"], "order")]


def test_shop_list_is_newest_first_paginated_and_can_put_unread_first(orders):
    threads = [ask(orders, shop_book(orders), text=f"Question {n}").get_json() for n in range(3)]
    # The shop reads the newest one, so only the two older ones stay unread.
    get(orders, f"/shops/a/conversations/{threads[2]['id']}", SELLER_A)

    newest = get(orders, "/shops/a/conversations", SELLER_A, per_page=2).get_json()
    second = get(orders, "/shops/a/conversations", SELLER_A, per_page=2, page=2).get_json()
    unread_first = get(orders, "/shops/a/conversations", SELLER_A, sort="unread").get_json()
    only_unread = get(orders, "/shops/a/conversations", SELLER_A, unread="true").get_json()

    ids = [thread["id"] for thread in threads]
    assert [c["id"] for c in newest["conversations"]] == [ids[2], ids[1]]
    assert (newest["total"], newest["page"], newest["per_page"]) == (3, 1, 2)
    assert [c["id"] for c in second["conversations"]] == [ids[0]]
    assert [c["id"] for c in unread_first["conversations"]] == [ids[1], ids[0], ids[2]]
    assert [c["id"] for c in only_unread["conversations"]] == [ids[1], ids[0]]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": "0"}, "page"), ({"per_page": "500"}, "per_page"), ({"sort": "x"}, "sort")],
)
def test_bad_page_parameters_are_422_naming_the_field(orders, params, field):
    for path, headers in (("/conversations", ADA), ("/shops/a/conversations", SELLER_A)):
        response = get(orders, path, headers, **params)
        assert response.status_code == 422
        assert field in response.get_json()["fields"]


def test_every_endpoint_needs_a_token(orders):
    thread = asked(orders)
    order, part = ordered(orders)
    for method, path in endpoints(thread, order, part, shop_id="a"):
        response = orders.client.open(path, method=method, json={"text": "hello"})
        assert response.status_code == 401, (method, path)


def endpoints(thread: dict, order: dict, part: dict, *, shop_id: str) -> list[tuple[str, str]]:
    """Every route that reads or writes one conversation, for one side."""
    shop = f"/shops/{shop_id}"
    return [
        ("GET", f"/conversations/{thread['id']}"),
        ("POST", f"/conversations/{thread['id']}/messages"),
        ("GET", part_path(order, part)),
        ("POST", f"{part_path(order, part)}/messages"),
        ("GET", f"{shop}/conversations"),
        ("GET", f"{shop}/conversations/{thread['id']}"),
        ("POST", f"{shop}/conversations/{thread['id']}/messages"),
        ("GET", shop_part_path(part, shop_id)),
        ("POST", f"{shop_part_path(part, shop_id)}/messages"),
    ]


def snapshot(orders: OrdersService) -> list[tuple]:
    with orders.runtime.session_factory() as session:
        conversations = [
            (c.id, c.shopper_unread, c.shop_unread, c.last_message_at)
            for c in session.scalars(select(db.Conversation).order_by(db.Conversation.id))
        ]
        messages = list(session.scalars(select(db.ConversationMessage.id)))
    return [*conversations, tuple(messages)]


@pytest.mark.parametrize(
    ("stranger", "their_shop"),
    [(EVE, "a"), (SELLER_B, "a"), (SELLER_B, "b")],
    ids=["another shopper", "another shop naming shop a", "another shop naming its own"],
)
def test_privacy_walk_strangers_get_404_everywhere_and_see_nothing(orders, stranger, their_shop):
    thread = asked(orders)
    order, part = ordered(orders)
    post(orders, f"{shop_part_path(part)}/messages", SELLER_A, text="Shipping Monday.")
    before = snapshot(orders)

    for method, path in endpoints(thread, order, part, shop_id=their_shop):
        if (method, path) == ("GET", f"/shops/{their_shop}/conversations") and their_shop == "b":
            continue  # a shop's own list: checked below, it answers and is empty
        for text in ("Hello from a stranger", "", "x" * (MAX_MESSAGE + 1)):
            response = orders.client.open(
                path, method=method, json={"text": text}, headers=stranger
            )
            assert response.status_code == 404, (method, path, text, response.get_json())
            assert "Shipping Monday" not in response.get_data(as_text=True)

    assert get(orders, "/conversations", stranger).get_json()["conversations"] == []
    totals = unread(orders, stranger)
    assert totals["shopper"] == 0 and set(totals["shops"].values()) <= {0}
    if stranger is SELLER_B:
        own = get(orders, "/shops/b/conversations", SELLER_B).get_json()
        assert (own["conversations"], own["total"]) == ([], 0)
    assert snapshot(orders) == before


def test_the_shop_cannot_open_the_thread_of_another_shops_part(orders):
    order, part = ordered(orders)
    # Seller b is a member of shop b, but the part is shop a's.
    response = get(orders, shop_part_path(part, "b"), SELLER_B)
    write = post(orders, f"{shop_part_path(part, 'b')}/messages", SELLER_B)

    assert (response.status_code, write.status_code) == (404, 404)
    assert orders.count(db.Conversation) == 0


def test_another_buyer_cannot_write_about_someone_elses_order(orders):
    order, part = ordered(orders)

    response = post(orders, f"{part_path(order, part)}/messages", EVE)

    assert response.status_code == 404
    assert orders.count(db.Conversation) == 0


def test_two_first_messages_at_once_make_one_thread_with_both(orders):
    """The shopper's first question sent twice at once (two tabs), and both sides' first
    message about one order part at once: each makes one thread holding both messages."""
    info = shop_book(orders)
    order, part = ordered(orders)
    arrived = threading.Barrier(2, timeout=30)
    orders.listings.on_get = arrived.wait
    client = orders.client.application.test_client

    with ThreadPoolExecutor(max_workers=2) as pool:
        questions = list(
            pool.map(
                lambda n: client().post(
                    f"/listings/{info.id}/questions", json={"text": f"Tab {n}"}, headers=ADA
                ),
                range(2),
            )
        )
    orders.listings.on_get = None
    with ThreadPoolExecutor(max_workers=2) as pool:
        firsts = list(
            pool.map(
                lambda request: client().post(
                    request[0], json={"text": "Hello"}, headers=request[1]
                ),
                [
                    (f"{part_path(order, part)}/messages", ADA),
                    (f"{shop_part_path(part)}/messages", SELLER_A),
                ],
            )
        )

    assert sorted(response.status_code for response in questions) == [200, 201]
    assert sorted(response.status_code for response in firsts) == [201, 201]
    with orders.runtime.session_factory() as session:
        threads = list(session.scalars(select(db.Conversation)))
        assert sorted(thread.topic for thread in threads) == ["listing", "order"]
        for thread in threads:
            count = session.scalar(
                select(func.count(db.ConversationMessage.id)).where(
                    db.ConversationMessage.conversation_id == thread.id
                )
            )
            assert count == 2, thread.topic


def test_each_message_stages_message_posted_for_the_other_side(orders):
    thread = asked(orders)
    shop_thread = f"/shops/a/conversations/{thread['id']}"
    answer = post(orders, f"{shop_thread}/messages", SELLER_A, text="It is, and unclipped.")
    assert answer.status_code == 201

    posted = [
        json.loads(row.body)["payload"]
        for row in orders.outbox()
        if row.event_type == "message.posted"
    ]
    assert [(p["from_side"], p["sender_name"], p["excerpt"]) for p in posted] == [
        ("buyer", "Ada Lovelace", "Is the dust jacket intact?"),
        ("shop", "Margaret", "It is, and unclipped."),
    ]
    assert {(p["conversation_id"], p["shop_id"], p["buyer_user_id"]) for p in posted} == {
        (thread["id"], "a", "ada")
    }
    assert posted[0]["subject"] == "Emma" and posted[0]["listing_id"] is not None


def test_a_refused_message_stages_no_event(orders):
    thread = asked(orders)
    before = len(orders.outbox())

    refused = post(orders, f"/conversations/{thread['id']}/messages", ADA, text="")

    assert refused.status_code == 422
    assert len(orders.outbox()) == before
