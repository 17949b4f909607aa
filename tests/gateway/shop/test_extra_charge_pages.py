"""The shopper's order page answers a shop's extra charge; checkout shows a changed total
before charging anything."""

from __future__ import annotations

from tests import support
from tests.gateway.helpers import post_form, text
from tests.gateway.shop.factories import KEY, SHOWN_TOTAL, a_shopper, check_out
from tests.gateway.shop.test_checkout_pages import RATES, two_shops  # noqa: F401


def _proposed(two_shops):  # noqa: ANN001, ANN202, F811
    shopper, mara, kofi = two_shops
    order_url = check_out(shopper).headers["Location"]
    [part] = support.wait_for(mara.orders)
    proposed = mara.answer(part["id"], "extra-charge", amount=450, reason="heavy parcel")
    assert proposed.status_code == 201, proposed.text
    page = support.wait_for(
        lambda: (html := text(shopper.get(order_url))) and "heavy parcel" in html and html
    )
    return shopper, mara, order_url, part, page


def test_shopper_accepts_the_extra_charge_and_pays_it_when_the_shop_accepts(two_shops):  # noqa: F811
    shopper, mara, order_url, part, page = _proposed(two_shops)
    assert "asks for <strong>€4.50</strong> more: heavy parcel" in page
    assert "Answer by" in page
    assert f'id="accept-extra-{part["id"]}"' in page
    assert f'id="refuse-extra-{part["id"]}"' in page

    accepted = post_form(
        shopper, f"{order_url}/parts/{part['id']}/extra-charge/accept", {}, page="/"
    )

    assert accepted.status_code == 302
    page = text(shopper.get(order_url))
    assert "Accepted: the extra is held on your card" in page
    assert f'id="extra-{part["id"]}">€4.50<' in page
    assert f'id="part-total-{part["id"]}">€22.00<' in page  # 14.50 + 3.00 + 4.50
    assert "you accepted it" in page
    assert "Extra charge proposed" in page and "Extra charge accepted" in page
    assert f'id="authorized-{part["id"]}">€22.00<' in page
    assert mara.answer(part["id"], "accept").status_code == 200
    page = support.wait_for(
        lambda: (html := text(shopper.get(order_url))) and "Paid to the shop" in html and html
    )
    assert f'id="captured-{part["id"]}">€22.00<' in page


def test_shopper_refuses_the_extra_charge_and_the_part_is_cancelled(two_shops):  # noqa: F811
    shopper, mara, order_url, part, _page = _proposed(two_shops)

    refused = post_form(
        shopper, f"{order_url}/parts/{part['id']}/extra-charge/refuse", {}, page="/"
    )

    assert refused.status_code == 302
    page = text(shopper.get(order_url))
    assert "Refused: this part is cancelled and its payment released." in page
    assert "because you refused the shop's extra charge of €4.50 (heavy parcel)" in page
    assert f'id="voided-{part["id"]}"' in page
    shop_side = support.wait_for(
        lambda: (
            (o := mara.orders()[0])["status"] == "cancelled"
            and o["extra_charge"]["status"] == "refused"
            and o
        )
    )
    assert shop_side["cancel_reason"].startswith("The buyer refused the extra charge")


def test_someone_else_cannot_answer_the_extra_charge(two_shops, live_gateway):  # noqa: F811
    _shopper, _mara, order_url, part, _page = _proposed(two_shops)
    stranger = a_shopper(live_gateway, "eve@example.org", "Eve")

    response = post_form(
        stranger, f"{order_url}/parts/{part['id']}/extra-charge/accept", {}, page="/"
    )

    assert response.status_code == 404


def test_checkout_with_changed_shipping_shows_the_new_total_before_charging(two_shops):  # noqa: F811
    shopper, mara, _kofi = two_shops
    page = text(shopper.get("/checkout", query_string={"country": "NL"}))
    assert 'id="checkout-total">€27.50<' in page
    mara.change_shop(shipping=RATES | {"domestic_first": {"amount": 500, "currency": "EUR"}})
    values = {
        "idempotency_key": KEY.search(page).group(1),
        "expected_total": SHOWN_TOTAL.search(page).group(1),
        "name": "Ben Buyer",
        "address": "Damrak 1",
        "city": "Amsterdam",
        "postal_code": "1012 LG",
        "country": "NL",
        "card_number": "4242 4242 4242 4242",
    }

    response = post_form(shopper, "/checkout", values, page="/")

    assert response.status_code == 400
    page = text(response)
    assert "Shipping from Mara&#39;s Books is now EUR 5.00 (was EUR 3.00)" in page
    assert 'id="checkout-total">€29.50<' in page
    assert SHOWN_TOTAL.search(page).group(1) == "2950"
    assert "View order" not in text(shopper.get("/orders"))
    placed = post_form(shopper, "/checkout", values | {"expected_total": "2950"}, page="/")
    assert placed.status_code == 302


def test_checkout_without_a_card_asks_for_one(two_shops):  # noqa: F811
    shopper, _, _ = two_shops

    response = check_out(shopper, card="")

    assert response.status_code == 400
    assert "Enter your card number to pay." in text(response)
