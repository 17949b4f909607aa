"""The shopper's site against the live stack (the real shops, catalog and orders services on
threads, their workers on the real broker): a guest's order from the cart to its link, and
the canned answers of tests/gateway/shop/fakes_storefront.py checked against what the live
services answer the gateway along a signed-in shopper's journey.

Every other test of the shopper's pages runs against fakes; these are the few that need the
services themselves.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from flask import Flask
from sqlalchemy import select

from gateway.clients import ServiceError
from gateway.guest_orders import GuestOrder
from gateway.identity import CLIENT_FACTORY
from tests import support
from tests.gateway.fakes import money
from tests.gateway.helpers import csrf_token, notices, post_form, text
from tests.gateway.shop.factories import (
    a_seller,
    a_shopper,
    add_to_cart,
    check_out,
    listing_ids,
    wait_until_found,
)
from tests.gateway.shop.fakes_storefront import (
    ABROAD,
    CRANFORD,
    DOMESTIC,
    ISBN,
    NORTH_AND_SOUTH,
    a_buyers_review,
    a_cart,
    a_hit,
    a_part,
    a_placed_order,
    a_public_review,
    a_saved_address,
    a_shop_face,
    a_work,
    an_extra_charge,
    an_offer,
    offers_of,
    search_results,
    shop_reviews,
)
from tests.gateway.shop.test_guest_checkout import guest_check_out
from tests.gateway.test_fakes_contract import missing_from

RATES = {
    "domestic_first": money(DOMESTIC),
    "domestic_additional": money(100),
    "international_first": money(ABROAD),
    "international_additional": money(200),
}


def test_a_guest_checks_out_and_opens_the_order_from_its_link(services, live_gateway):
    seller = a_seller(services)
    seller.list(title="Cranford", isbn=None)
    guest = live_gateway.test_client()
    [listing_id] = listing_ids(wait_until_found(guest, 1, q="cranford"))
    post_form(guest, f"/listings/{listing_id}", {"quantity": "1"})

    placed = guest_check_out(guest)

    assert placed.status_code == 302, text(placed)
    link = placed.headers["Location"]
    page = text(guest.get(link))
    assert "Your order" in page and "Cranford" in page
    assert "Cranford" in text(live_gateway.test_client().get(link))
    # The shop has the guest's part, under the name and address given at checkout.
    [part] = support.wait_for(seller.orders)
    assert part["buyer"]["name"] == "Rosa Dartle"
    assert part["delivery_address"]["postal_code"] == "1012 LG"
    with live_gateway.extensions["runtime"].session_factory() as session:
        [kept] = session.scalars(select(GuestOrder)).all()
    assert kept.email == "rosa@example.org"
    [mail] = notices(guest, "guest_order", "rosa@example.org")
    assert mail["link"].endswith(link)
    # The cart the guest checked out is empty now.
    assert "Your cart is empty" in text(guest.get("/cart"))


# --- the canned answers against the live ones -------------------------------------------------


class Heard:
    """Every answer (or refusal) the live services gave the gateway, oldest first."""

    def __init__(self, app: Flask) -> None:
        self.calls: list[dict] = []
        timeout = app.extensions["runtime"].settings.service_timeout
        app.extensions[CLIENT_FACTORY] = lambda cls, url, token: self._recording(
            cls(url, token=token, timeout=timeout)
        )

    def _recording(self, client: Any) -> Any:
        call = client._call

        def recorded(method: str, path: str, **options: Any) -> Any:
            heard = {"call": f"{method} {path}", "params": options.get("params") or {}}
            self.calls.append(heard)
            try:
                answer = call(method, path, **options)
            except ServiceError as refusal:
                heard["refused"] = (refusal.status, sorted(refusal.fields))
                raise
            # The gateway adds to some answers (a hit's shipping note): keep the service's.
            heard["answer"] = copy.deepcopy(answer)
            return answer

        client._call = recorded
        return client

    def answer(
        self, call: str, where: Any = lambda answer: True, *, params: dict | None = None
    ) -> Any:
        """The last answer to `call` (a regular expression over `METHOD path`)."""
        found = [
            heard["answer"]
            for heard in self.calls
            if re.fullmatch(call, heard["call"])
            and "answer" in heard
            and (params is None or params.items() <= heard["params"].items())
            and where(heard["answer"])
        ]
        assert found, f"the journey never got an answer to {call}"
        return found[-1]

    def refusals(self, call: str) -> list[tuple[int, list[str]]]:
        """Each refusal of `call`: its status and the fields it named, oldest first."""
        return [
            h["refused"] for h in self.calls if re.fullmatch(call, h["call"]) and "refused" in h
        ]


def part_in(status: str, charge: str | None = None):  # noqa: ANN201
    """Whether an order answer has a part in `status` (with an extra charge in `charge`)."""
    return lambda order: part_of(order, status, charge) is not None


def part_of(order: dict, status: str, charge: str | None = None) -> dict | None:
    for part in order.get("parts") or []:
        charges = [c["status"] for c in part.get("extra_charges") or []]
        if part["status"] == status and (charge in charges if charge else not charges):
            return part
    return None


def timeline_gaps(fake: dict, live: dict) -> list[str]:
    """Each step of the canned part's timeline against the live step of the same status."""
    steps = {step["status"]: step for step in live.get("timeline") or []}
    gaps = []
    for step in fake["timeline"]:
        if step["status"] not in steps:
            gaps.append(f".timeline: no {step['status']} step")
        else:
            gaps += missing_from(step, steps[step["status"]], f".timeline[{step['status']}]")
    return gaps


def shoppers_journey(services, app: Flask) -> tuple[Heard, dict]:  # noqa: ANN001
    """Ben buys from Mara's Books and Kofi's Corner: the address book, refusals, a part
    cancelled, a part shipped, received and reviewed, and an extra charge accepted. Returns
    what the gateway heard, and Kofi's shop (the one reviewed)."""
    mara = a_seller(services, "Mara's Books")
    kofi = a_seller(services, "Kofi's Corner")
    for seller in (mara, kofi):
        seller.change_shop(shipping=RATES)
        seller.list(title="The Left Hand of Darkness", isbn=ISBN)
    mara.list(title="North and South", isbn=None, price=money(1450), quantity=5)
    kofi.list(title="Cranford", isbn=None, price=money(700))
    heard = Heard(app)
    ben = a_shopper(app)
    wait_until_found(ben, 4, q="")
    [north] = listing_ids(text(ben.get("/search", query_string={"q": "north"})))
    [cranford] = listing_ids(text(ben.get("/search", query_string={"q": "cranford"})))
    darkness = listing_ids(text(ben.get("/search", query_string={"q": ISBN})))[0]
    work = re.search(r'href="(/works/[^"]+)"', text(ben.get(f"/listings/{darkness}")))
    ben.get(work.group(1), query_string={"country": "NL"})

    assert add_to_cart(ben, north).status_code == 302
    assert add_to_cart(ben, cranford).status_code == 302
    ben.get("/cart", query_string={"country": "NL"})
    ben.get("/search", query_string={"q": "cranford"})  # priced for the country chosen
    home = {"name": "Ben Buyer", "address": "Damrak 1", "city": "Amsterdam", "country": "NL"}
    book = "/account/addresses"
    post_form(ben, f"{book}/new", home | {"postal_code": "1"}, page=book)
    post_form(ben, f"{book}/new", home | {"postal_code": "1012 LG"}, page=book)
    [address_id] = re.findall(r'<li id="address-([0-9a-f-]{36})"', text(ben.get(book)))
    ben.get(f"{book}/{address_id}/edit")
    assert check_out(ben, card="4000 0000 0000 0002").status_code == 400
    assert check_out(ben, postal_code="10125").status_code == 400
    placed = check_out(ben, address="Keizersgracht 3", postal_code="1015 CJ", save_address="y")
    order_url = placed.headers["Location"]
    ben.get(order_url)
    ben.get("/orders")

    # Mara's part is cancelled at Ben's request; Kofi's is sent, received and reviewed.
    [mara_part] = support.wait_for(mara.orders)
    [kofi_part] = support.wait_for(kofi.orders)
    cancel = f"{order_url}/parts/{mara_part['id']}/cancel"
    post_form(ben, cancel, {"reason": "Ordered the wrong edition."}, page="/")
    assert kofi.answer(kofi_part["id"], "accept").status_code == 200
    support.wait_for(lambda: "status-accepted" in text(ben.get(order_url)))
    post_form(ben, f"{order_url}/parts/{kofi_part['id']}/cancel", {}, page="/")
    assert kofi.answer(kofi_part["id"], "ship", note="Enjoy!").status_code == 200
    support.wait_for(lambda: "I received it" in text(ben.get(order_url)))
    support.wait_for(lambda: "status-cancelled" in text(ben.get(order_url)))
    post_form(ben, f"{order_url}/parts/{kofi_part['id']}/received", {}, page="/")
    prefix = f"review-{kofi_part['id']}-"
    review = {f"{prefix}rating": "4", f"{prefix}text": "Well wrapped."}
    review_url = f"{order_url}/parts/{kofi_part['id']}/review"
    for _ in range(2):  # the second is refused
        ben.post(review_url, data=review | {f"{prefix}csrf_token": csrf_token(ben, "/")})
    ben.get(order_url)
    slug = kofi.shop["slug"]
    support.wait_for(lambda: 'id="reputation-average">4.0<' in text(ben.get(f"/shops/{slug}")))

    # Mara asks for more on a second order; Ben accepts, and she accepts the order.
    assert add_to_cart(ben, north).status_code == 302
    second = check_out(ben).headers["Location"]
    [part] = support.wait_for(lambda: [p for p in mara.orders() if p["status"] != "cancelled"])
    asked = mara.answer(part["id"], "extra-charge", amount=450, reason="heavy parcel")
    assert asked.status_code == 201, asked.text
    support.wait_for(lambda: "heavy parcel" in text(ben.get(second)))
    post_form(ben, f"{second}/parts/{part['id']}/extra-charge/accept", {}, page="/")
    # The shop may accept the order once it has heard that the charge was accepted.
    support.wait_for(
        lambda: any(
            (p.get("extra_charge") or {}).get("status") == "accepted" for p in mara.orders()
        )
    )
    assert mara.answer(part["id"], "accept").status_code == 200
    support.wait_for(lambda: "Paid to the shop" in text(ben.get(second)))
    return heard, kofi.shop


def test_the_storefront_fakes_answer_as_the_live_services_do(services, live_gateway):
    heard, reviewed = shoppers_journey(services, live_gateway)
    order = heard.answer(r"GET /orders/[^/]+", part_in("shipped"))
    kofi = reviewed["id"]
    placed = a_part("p", status="placed")
    shipped = a_part("p", status="shipped", note="Enjoy!")
    review = a_buyers_review(shipped, rating=4)
    canned_and_live = {
        "POST /cart/lines": (
            a_cart(NORTH_AND_SOUTH, country=None),
            heard.answer("POST /cart/lines"),
        ),
        "GET /cart": (
            a_cart(NORTH_AND_SOUTH, CRANFORD),
            heard.answer("GET /cart", params={"country": "NL"}),
        ),
        "GET /addresses": (
            {"addresses": [a_saved_address()]},
            heard.answer("GET /addresses", lambda found: found["addresses"]),
        ),
        "GET /addresses/<id>": (a_saved_address(), heard.answer(r"GET /addresses/.+")),
        "POST /addresses": (a_saved_address(), heard.answer("POST /addresses")),
        "POST /checkout": (a_placed_order("o", placed), heard.answer("POST /checkout")),
        "GET /orders": ({"orders": [a_placed_order()]}, heard.answer("GET /orders")),
        "GET /orders/<id>": (a_placed_order("o", shipped), order),
        "POST .../review": (review, heard.answer(r"POST /orders/.+/review")),
        "GET /orders/<id>/reviews": (
            {"order_id": "o", "reviews": [review]},
            heard.answer(r"GET /orders/[^/]+/reviews", lambda found: found["reviews"]),
        ),
        "GET /search": (
            search_results(a_hit("l", "Cranford", landed_price=1000, author="Gaskell")),
            heard.answer("GET /search", lambda found: found["hits"], params={"ship_to": "NL"}),
        ),
        "GET /works/<id>": (a_work(), heard.answer(r"GET /works/[^/]+")),
        "GET /works/<id>/offers": (
            offers_of(an_offer("l", "Mara's Books", price=1250, shipping=DOMESTIC)),
            heard.answer(r"GET /works/[^/]+/offers", params={"country": "NL"}),
        ),
        "GET /shops/<slug> (catalog)": (
            a_shop_face(kofi, ratings=(4,)),
            heard.answer(f"GET /shops/{reviewed['slug']}"),
        ),
        "GET /shops/<id>/reviews": (
            shop_reviews(kofi, a_public_review("r", rating=4, text="Well wrapped.")),
            heard.answer(r"GET /shops/[^/]+/reviews", lambda found: found["reviews"]),
        ),
    }
    gaps = {
        name: missing_from(canned, live)
        for name, (canned, live) in canned_and_live.items()
        if missing_from(canned, live)
    }

    # Each state of a part the page tests show, against a live part in that state.
    def order_with(status: str, charge: str | None = None) -> dict:
        live = heard.answer(r"GET /orders/[^/]+", part_in(status, charge))
        return part_of(live, status, charge)

    charge = an_extra_charge
    parts = {
        "placed": (placed, order_with("placed")),
        "cancelled": (
            a_part("p", status="cancelled", cancel_reason="Ordered the wrong edition."),
            order_with("cancelled"),
        ),
        "shipped": (shipped, order_with("shipped")),
        "delivered": (a_part("p", status="delivered"), order_with("delivered")),
        "extra charge open": (
            a_part("p", extra_charge=charge(status="open")),
            order_with("placed", "open"),
        ),
        "extra charge accepted": (
            a_part("p", status="accepted", extra_charge=charge(status="accepted")),
            order_with("accepted", "accepted"),
        ),
    }
    for name, (canned, live) in parts.items():
        if found := missing_from(canned, live) + timeline_gaps(canned, live):
            gaps[f"a {name} part"] = found

    assert gaps == {}
    # The refusals the page tests fake: their status, and the fields they name.
    assert heard.refusals("POST /addresses") == [(422, ["postal_code"])]
    assert heard.refusals("POST /checkout") == [(402, []), (422, ["address.postal_code"])]
    assert heard.refusals(r"POST /orders/.+/cancel") == [(409, [])]
    assert heard.refusals(r"POST /orders/.+/review") == [(409, [])]
