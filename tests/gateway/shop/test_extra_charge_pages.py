"""The shopper's order page answers a shop's extra charge; checkout shows a changed total
before charging anything.

Against fake services (tests/gateway/fakes.py): the order in each state of its extra charge,
and the orders service's refusals, are canned answers shaped as the service gives them.
"""

from __future__ import annotations

import pytest

from gateway.clients import ServiceError
from tests.gateway.fakes import order_page_answers
from tests.gateway.helpers import post_form, text
from tests.gateway.shop.factories import ADDRESSES, KEY, SHOWN_TOTAL, check_out
from tests.gateway.shop.fakes_storefront import (
    CRANFORD,
    MARA,
    NORTH_AND_SOUTH,
    a_cart,
    a_part,
    a_placed_order,
    an_extra_charge,
)

ORDER = "/orders/order-1"
PART = f"{ORDER}/parts/part-mara"


def order_with_charge(status: str, *, part_status: str = "placed") -> dict:
    """Mara's part (€14.50 and €3.00 shipping) with her extra charge of €4.50."""
    charge = an_extra_charge(450, "heavy parcel", status=status)
    return a_placed_order("order-1", a_part("part-mara", status=part_status, extra_charge=charge))


@pytest.fixture
def proposed(ben, fakes):  # noqa: ANN001, ANN201
    """Ben's order, whose shop asks for €4.50 more."""
    order_page_answers(fakes, order_with_charge("open"))
    return ben


def test_the_order_page_shows_the_open_extra_charge_with_both_answers(proposed):
    page = text(proposed.get(ORDER))

    assert "asks for <strong>€4.50</strong> more: heavy parcel" in page
    assert "Answer by" in page
    assert 'id="accept-extra-part-mara"' in page
    assert 'id="refuse-extra-part-mara"' in page
    assert 'id="extra-part-mara"' not in page  # nothing added to the part until accepted


def test_shopper_accepts_the_extra_charge_and_sees_it_held_then_paid(proposed, fakes):
    fakes.on("POST", f"{PART}/extra-charge/accept", order_with_charge("accepted"))

    accepted = post_form(proposed, f"{PART}/extra-charge/accept", {}, page="/")

    assert accepted.status_code == 302
    assert accepted.headers["Location"] == f"{ORDER}#part-part-mara"
    assert fakes.writes() == [f"POST {PART}/extra-charge/accept"]
    fakes.on("GET", ORDER, order_with_charge("accepted"))
    page = text(proposed.get(ORDER))
    assert "Accepted: the extra is held on your card" in page
    assert 'id="extra-part-mara">€4.50<' in page
    assert 'id="part-total-part-mara">€22.00<' in page  # 14.50 + 3.00 + 4.50
    assert "you accepted it" in page
    assert "Extra charge proposed" in page and "Extra charge accepted" in page
    assert 'id="authorized-part-mara">€22.00<' in page
    assert 'id="accept-extra-part-mara"' not in page
    # Once the shop accepts the order, the whole is taken.
    fakes.on("GET", ORDER, order_with_charge("accepted", part_status="accepted"))
    page = text(proposed.get(ORDER))
    assert "Paid to the shop" in page and 'id="captured-part-mara">€22.00<' in page


def test_shopper_refuses_the_extra_charge_and_the_part_is_cancelled(proposed, fakes):
    refused_order = order_with_charge("refused", part_status="cancelled")
    fakes.on("POST", f"{PART}/extra-charge/refuse", refused_order)

    refused = post_form(proposed, f"{PART}/extra-charge/refuse", {}, page="/")

    assert refused.status_code == 302
    assert fakes.writes() == [f"POST {PART}/extra-charge/refuse"]
    fakes.on("GET", ORDER, refused_order)
    page = text(proposed.get(ORDER))
    assert "Refused: this part is cancelled and its payment released." in page
    assert "because you refused the shop's extra charge of €4.50 (heavy parcel)" in page
    assert 'id="voided-part-mara">€17.50<' in page
    assert "You cancelled this part" not in page


def test_an_answer_the_service_refuses_is_said_on_the_order(proposed, fakes):
    refusal = ServiceError(402, "your card refused the extra €4.50: nothing changed")
    fakes.on("POST", f"{PART}/extra-charge/accept", refusal)

    response = post_form(
        proposed, f"{PART}/extra-charge/accept", {}, page="/", follow_redirects=True
    )

    page = text(response)
    assert 'class="flash flash-error"' in page and "your card refused the extra" in page
    assert "Accepted: the extra is held" not in page


def test_someone_else_cannot_answer_the_extra_charge(proposed, fakes):
    fakes.on("POST", f"{PART}/extra-charge/accept", ServiceError(404, "no such order"))

    response = post_form(proposed, f"{PART}/extra-charge/accept", {}, page="/")

    assert response.status_code == 404


def test_an_unknown_answer_is_not_found_and_sends_nothing(proposed, fakes):
    response = post_form(proposed, f"{PART}/extra-charge/maybe", {}, page="/")

    assert response.status_code == 404
    assert fakes.writes() == []


CHANGED = "Shipping from Mara's Books is now EUR 5.00 (was EUR 3.00)"


def test_checkout_with_changed_shipping_shows_the_new_total_before_charging(ben, fakes):
    fakes.on("GET", "/addresses", {"addresses": []})
    fakes.on("GET", "/cart", a_cart(NORTH_AND_SOUTH, CRANFORD))
    page = text(ben.get("/checkout", query_string={"country": "NL"}))
    assert 'id="checkout-total">€27.50<' in page
    # Meanwhile Mara charges €5.00: the service refuses the old total and prices the new one.
    fakes.on(
        "POST",
        "/checkout",
        ServiceError(
            409,
            "the total changed to EUR 29.50 since it was shown to you: "
            f"{CHANGED}. Nothing was ordered or charged",
            {MARA["shop_id"]: CHANGED},
        ),
    )
    fakes.on("GET", "/cart", a_cart(NORTH_AND_SOUTH, CRANFORD, shipping={"shop-mara": 500}))
    values = {
        "idempotency_key": KEY.search(page).group(1),
        "expected_total": SHOWN_TOTAL.search(page).group(1),
        "name": "Ben Buyer",
        **ADDRESSES["NL"],
        "card_number": "4242 4242 4242 4242",
    }

    response = post_form(ben, "/checkout", values, page="/")

    assert response.status_code == 400
    page = text(response)
    assert "Shipping from Mara&#39;s Books is now EUR 5.00 (was EUR 3.00)" in page
    assert 'id="checkout-total">€29.50<' in page
    assert SHOWN_TOTAL.search(page).group(1) == "2950"
    # The same order (the same key) is placed once the new total is agreed to.
    fakes.on("POST", "/checkout", a_placed_order("order-1"))
    placed = post_form(ben, "/checkout", values | {"expected_total": "2950"}, page="/")
    assert placed.status_code == 302
    first, second = fakes.sent("POST", "/checkout")
    assert (first["expected_total"], second["expected_total"]) == (2750, 2950)
    assert first["idempotency_key"] == second["idempotency_key"]


def test_checkout_without_a_card_asks_for_one_and_sends_nothing(ben, fakes):
    fakes.on("GET", "/addresses", {"addresses": []})
    fakes.on("GET", "/cart", a_cart(NORTH_AND_SOUTH))

    response = check_out(ben, card="")

    assert response.status_code == 400
    assert "Enter your card number to pay." in text(response)
    assert fakes.writes() == []
