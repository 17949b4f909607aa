"""The seller portal's orders and photos against the live stack (the real services on
threads, RabbitMQ, the databases): two whole journeys, and the contract of the canned
answers in fakes_orders.py.

Every other test of these pages runs against fakes (test_dashboard_and_orders.py,
test_customers.py, test_photos.py...). These keep what only the services together can show:
a buyer's order reaching the shop and the shop's answers reaching the buyer, the customer
book following the orders, photos travelling from the portal to a shopper's search; and
that each canned answer still has the keys the services' answers have.
"""

from __future__ import annotations

import io
import re
from typing import Any

import requests
from flask import Flask
from flask.testing import FlaskClient

from services.common.auth import Operator, issue_operator_token
from tests import support
from tests.gateway.helpers import log_in, text
from tests.gateway.sell.conftest import Seller, user_id
from tests.gateway.sell.fakes_orders import (
    STATEMENT_CSV,
    a_cart,
    a_customer,
    a_customer_record,
    a_member,
    a_movement,
    a_public_shop,
    a_question_thread,
    a_review_report,
    a_row_error,
    a_sales_bucket,
    a_search_hit,
    a_seller_order,
    a_shop_review,
    a_statement,
    a_webhook_endpoint,
    a_work,
    an_answer,
    an_api_token,
    an_extra_charge,
    an_image,
    an_offer,
    an_own_listing,
    an_upload_job,
    customers_page,
    movements,
    no_threads,
    nothing_after_the_sale,
    search_results,
    shipped,
    shop_reviews,
)
from tests.gateway.sell.helpers import ORDER_LINK, buy, submit, wait_until_ready_to_ship
from tests.gateway.shop.factories import add_to_cart, check_out
from tests.gateway.test_fakes_contract import missing_from
from tests.shops.photo_files import png

NOTE = "Collects first editions.\nNo plastic wrapping, please."
ADDRESS = "Ben Buyer\nDamrak 1\n1012 LG AMSTERDAM\nNETHERLANDS"


def shop_order_ids(seller: Seller, *, count: int) -> list[str]:
    """The shop's order ids on the dashboard, once `count` of them have arrived."""

    def arrived() -> list[str] | None:
        ids = list(dict.fromkeys(ORDER_LINK.findall(text(seller.client.get("/sell/")))))
        return ids if len(ids) >= count else None

    return support.wait_for(arrived)


def ben(app: Flask) -> FlaskClient:
    """Ben, who bought before, logged in again."""
    client = app.test_client()
    assert log_in(client, "ben@example.org").status_code == 302
    return client


def test_a_shop_answers_a_first_order_ships_it_and_knows_the_buyer_when_they_return(
    seller, live_gateway
):
    listing = seller.add_listing(title="Villette", quantity=3)
    buy(live_gateway, listing["id"])

    # The order reaches the shop through the broker, with an answer window of 48 hours.
    [first] = shop_order_ids(seller, count=1)
    dashboard = text(seller.client.get("/sell/"))
    waiting = dashboard[dashboard.index('id="waiting-orders"') : dashboard.index("recent-heading")]
    assert "1 × Villette" in waiting and re.search(r"4[78] h \d+ min left", waiting)
    order_page = text(seller.client.get(f"/sell/orders/{first}"))
    assert "First order from Ben Buyer." in order_page and ADDRESS in order_page
    slip = text(seller.client.get(f"/sell/orders/{first}/slip"))
    assert "Dear Ben Buyer," in slip and "— Mara, Mara&#39;s Books" in slip

    # The shop keeps a note on Ben; the shops service keeps each tag once.
    ben_id = user_id(live_gateway, "ben@example.org")
    book = f"/sell/customers/{ben_id}"
    saved = submit(seller.client, book, {"notes": NOTE, "tags": "first editions, FIRST EDITIONS"})
    assert saved.status_code == 302, text(saved)
    assert 'value="first editions"' in text(seller.client.get(book))

    # Accepted, the parcel waits for the orders side to capture the payment; then it ships.
    submit(seller.client, f"/sell/orders/{first}/accept", {})
    wait_until_ready_to_ship(seller.client, first)
    note = "Enjoy Lucy's story, Ben!\n\nMara, Mara's Books"
    assert submit(seller.client, f"/sell/orders/{first}/ship", {"note": note}).status_code == 302
    shipped_slip = text(seller.client.get(f"/sell/orders/{first}/slip"))
    assert "Enjoy Lucy&#39;s story, Ben!" in shipped_slip
    assert shipped_slip.count("Mara, Mara&#39;s Books") == 1  # signed once, under the note

    # Ben comes back: the shop's next order from him says so, with the shop's note.
    buyer = ben(live_gateway)
    assert add_to_cart(buyer, listing["id"]).status_code == 302
    assert check_out(buyer).status_code == 302
    second = next(i for i in shop_order_ids(seller, count=2) if i != first)
    second_page = text(seller.client.get(f"/sell/orders/{second}"))
    assert "Returning customer: 2nd order with you." in second_page
    assert NOTE in second_page and "<li>first editions</li>" in second_page
    history = text(seller.client.get(book))
    assert history.index(second) < history.index(first)  # newest first
    assert "status-shipped" in text(seller.client.get("/sell/"))


def upload_photos(seller: Seller, listing_id: str, count: int):  # noqa: ANN201
    files = [(io.BytesIO(png(colour=(n * 60, 20, 20))), f"photo-{n}.jpg") for n in range(count)]
    return submit(
        seller.client,
        f"/sell/listings/{listing_id}/photos",
        {"photos": files},
        content_type="multipart/form-data",
    )


def test_photos_a_seller_adds_reach_a_shoppers_search_and_are_served_by_the_gateway(
    seller, live_gateway
):
    listing = seller.add_listing(title="Middlemarch", isbn="9780141439549")
    assert upload_photos(seller, listing["id"], 3).status_code == 302
    [stored] = seller.stored_listings()
    first, _, third = (image["key"] for image in stored["images"])
    covered = submit(
        seller.client,
        f"/sell/listings/{listing['id']}/photos/arrange",
        {"cover": third, f"alt-{third}": "The spine, gilt"},
    )
    assert covered.status_code == 302

    # The catalog learns the new cover from the listing's event.
    shopper = live_gateway.test_client()
    results = support.wait_for(
        lambda: (html := text(shopper.get("/search?q=middlemarch"))) and third in html and html
    )
    cover = re.search(r'<img src="(/photos/' + third + r'-thumb\.jpg)"[^>]*>', results)
    assert cover and 'alt="The spine, gilt"' in cover.group(0)
    slides = re.findall(
        r"/photos/([0-9a-f]{32})-medium\.jpg", text(shopper.get(f"/listings/{listing['id']}"))
    )
    assert slides[0] == third and first in slides
    # The gateway serves the file the shops service stored.
    served = shopper.get(cover.group(1))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data.startswith(b"\xff\xd8")


# --- the canned answers of fakes_orders.py, against the live services ------------------------


def ask(url: str, headers: dict, **params: Any) -> Any:
    response = requests.get(url, headers=headers, params=params or None, timeout=5)
    assert response.status_code == 200, (url, response.text)
    return response.json()


def gaps_of(canned: dict[str, tuple[Any, Any]]) -> dict[str, list[str]]:
    """For each call, what its canned answer has that the live one lacks."""
    return {
        call: missing_from(fake, live)
        for call, (fake, live) in canned.items()
        if missing_from(fake, live)
    }


def test_the_order_side_fakes_answer_as_the_live_services_do(seller, live_gateway, services):
    shop = f"/shops/{seller.shop['id']}"
    listing = seller.add_listing(title="Villette", quantity=5)
    other = seller.add_listing(title="Shirley", quantity=5)
    order_url = buy(live_gateway, listing["id"])
    [first] = shop_order_ids(seller, count=1)
    buyer = ben(live_gateway)
    assert add_to_cart(buyer, listing["id"]).status_code == 302
    assert check_out(buyer).status_code == 302
    second = next(i for i in shop_order_ids(seller, count=2) if i != first)
    assert add_to_cart(buyer, other["id"]).status_code == 302  # stays in Ben's cart
    headers = seller._headers()
    shops_url, orders_url = services.shops_url, services.orders_url
    ben_id = user_id(live_gateway, "ben@example.org")
    ben_headers = support.auth_header(ben_id, "Ben Buyer")

    # The first part is shipped and reviewed; the shop answers the review and reports it.
    submit(seller.client, f"/sell/orders/{first}/accept", {})
    wait_until_ready_to_ship(seller.client, first)
    submit(seller.client, f"/sell/orders/{first}/ship", {"note": "Enjoy"})
    review_url = f"{orders_url}{order_url}/parts/{first}/review"
    posted = support.wait_for(
        lambda: (
            (answer := requests.post(
                review_url, json={"rating": 4, "text": "Kind."}, headers=ben_headers, timeout=5
            ))
            and answer.status_code == 201
            and answer
        )
    )  # fmt: skip
    review_id = posted.json()["id"]
    answered = requests.post(
        f"{orders_url}{shop}/reviews/{review_id}/answer",
        json={"text": "Thank you"},
        headers=headers,
        timeout=5,
    )
    assert answered.status_code == 200, answered.text
    reported = requests.post(
        f"{orders_url}{shop}/reviews/{review_id}/reports",
        json={"reason": "Odd"},
        headers=headers,
        timeout=5,
    )
    # The second waits for Ben's answer to an extra charge.
    proposed = requests.post(
        f"{shops_url}{shop}/orders/{second}/extra-charge",
        json={"amount": 450, "reason": "heavy parcel"},
        headers=headers,
        timeout=5,
    )
    assert proposed.status_code == 201, proposed.text
    statement = support.wait_for(
        lambda: (found := ask(f"{orders_url}{shop}/statement", headers))["totals"] and found
    )
    operator = issue_operator_token(Operator("op-1", "Olive"), secret=support.SECRET)
    csv_header = requests.get(f"{orders_url}{shop}/statement.csv", headers=headers, timeout=5)

    week = statement["weeks"][0]["week"]
    gaps = gaps_of(
        {
            "the shipped part": (
                shipped(a_seller_order(), note="Enjoy", signed_by="Mara"),
                ask(f"{shops_url}{shop}/orders/{first}", headers),
            ),
            "the part with an extra charge": (
                a_seller_order(extra_charge=an_extra_charge()),
                ask(f"{shops_url}{shop}/orders/{second}", headers),
            ),
            "the shop's orders": (
                {"orders": [a_seller_order()]},
                ask(f"{shops_url}{shop}/orders", headers),
            ),
            "after the sale": (
                nothing_after_the_sale(a_seller_order()),
                ask(f"{orders_url}{shop}/orders/{first}/aftersale", headers),
            ),
            "the shop's threads": (
                no_threads(per_page=5),
                ask(f"{orders_url}{shop}/conversations", headers, per_page=5),
            ),
            "the customers": (
                customers_page(a_customer()),
                ask(f"{shops_url}{shop}/customers", headers),
            ),
            "one customer": (
                a_customer_record(a_customer(), a_seller_order(), notes=NOTE),
                ask(f"{shops_url}{shop}/customers/{ben_id}", headers),
            ),
            "the shop's reviews": (
                shop_reviews(a_shop_review(answer=an_answer("Thank you"))),
                ask(f"{orders_url}{shop}/reviews", headers),
            ),
            "the shop's report": ({"reported": True}, reported.json()),
            "the reports": (
                {"open": [a_review_report(a_shop_review(), "Odd")]},
                ask(
                    f"{orders_url}/operator/review-reports",
                    {"Authorization": f"Bearer {operator}"},
                ),
            ),
            "the public shop": (
                a_public_shop(),
                ask(f"{services.catalog_url}/shops/{seller.shop['slug']}", {}),
            ),
            "the statement": (
                a_statement(a_sales_bucket(1000, week=week)),
                statement,
            ),
            "the movements": (
                movements(a_movement("sale", 1000)),
                ask(f"{orders_url}{shop}/movements", headers),
            ),
            "Ben's cart": (a_cart(), ask(f"{orders_url}/cart", ben_headers, country="NL")),
        }
    )

    assert gaps == {}
    assert reported.status_code == 201
    assert csv_header.text.splitlines()[0] == STATEMENT_CSV.splitlines()[0]


def test_the_shop_side_fakes_answer_as_the_live_services_do(seller, live_gateway, services):
    shop = f"/shops/{seller.shop['id']}"
    shops_url, catalog_url = services.shops_url, services.catalog_url
    headers = seller._headers()
    listing = seller.add_listing(title="Middlemarch", isbn="9780141439549")
    assert upload_photos(seller, listing["id"], 1).status_code == 302
    logo = requests.put(
        f"{shops_url}{shop}/logo",
        files={"image": ("logo.png", png((300, 300)), "image/png")},
        headers=headers,
        timeout=30,
    )
    assert logo.status_code == 200, logo.text
    uploaded = requests.post(
        f"{shops_url}{shop}/uploads",
        params={"filename": "stock.csv"},
        data=b"sku,title,price,quantity,shelf\nA-1,Emma,not much,1,B3\n",
        headers=headers,
        timeout=5,
    )
    assert uploaded.status_code == 202, uploaded.text
    made = requests.post(
        f"{shops_url}{shop}/tokens",
        json={"name": "HomeBase sync", "scopes": ["inventory:read"], "expires_in_days": 30},
        headers=headers,
        timeout=5,
    )
    hook = requests.post(
        f"{shops_url}{shop}/webhooks",
        json={"url": "https://93.184.215.14/hooks", "events": ["order.cancelled"]},
        headers=headers,
        timeout=5,
    )
    assert hook.status_code == 201, hook.text
    asked = requests.post(
        f"{services.orders_url}/listings/{listing['id']}/questions",
        json={"text": "Is the dust jacket intact?"},
        headers=support.auth_header("ben", "Ben"),
        timeout=5,
    )
    assert asked.status_code == 201, asked.text
    job = support.wait_for(
        lambda: (
            (found := ask(f"{shops_url}{shop}/uploads/{uploaded.json()['id']}", headers))
            and found["status"] == "done"
            and found
        )
    )
    # The catalog learns the photo and the logo from the shops service's events.
    found = support.wait_for(
        lambda: (
            (answer := ask(f"{catalog_url}/search", {}, q="middlemarch"))
            and answer["hits"]
            and answer["hits"][0]["cover"]
            and answer["hits"][0]["shop_logo"]
            and answer
        )
    )
    hit = found["hits"][0]
    image = an_image("ab" * 16)
    work_id = hit["work_id"]

    gaps = gaps_of(
        {
            "own listing": (
                an_own_listing(images=[image]),
                ask(f"{shops_url}/listings/{listing['id']}", headers),
            ),
            "search": (search_results(a_search_hit(cover=image, shop_logo=image)), found),
            "covers": (
                {"covers": {listing["id"]: image}},
                ask(f"{catalog_url}/covers", {}, ids=listing["id"]),
            ),
            "a work": (a_work(), ask(f"{catalog_url}/works/{work_id}", {})),
            "its offers": (
                {"offers": [an_offer(cover=image, shop_logo=image)]},
                ask(f"{catalog_url}/works/{work_id}/offers", {}, country="NL"),
            ),
            "the upload": (
                an_upload_job(errors=[a_row_error(2, "price", "x")], unknown_columns=["shelf"]),
                job,
            ),
            "the uploads": (
                {"uploads": [an_upload_job()]},
                ask(f"{shops_url}{shop}/uploads", headers),
            ),
            "the new token": (an_api_token() | {"secret": "sft_x"}, made.json()),
            "the tokens": ({"tokens": [an_api_token()]}, ask(f"{shops_url}{shop}/tokens", headers)),
            "the webhooks": (
                {"endpoints": [a_webhook_endpoint()]},
                ask(f"{shops_url}{shop}/webhooks", headers),
            ),
            "the members": (
                {"members": [a_member("mara", "owner")]},
                ask(f"{shops_url}{shop}/members", headers),
            ),
            "the question": (
                a_question_thread(text="Is it signed?"),
                ask(f"{services.orders_url}{shop}/conversations/{asked.json()['id']}", headers),
            ),
        }
    )

    assert gaps == {}
    assert made.status_code == 201
