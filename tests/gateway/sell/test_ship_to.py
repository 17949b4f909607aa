"""Where the parcel goes, on the seller's side: the order page, the packing slip laid out as
the destination country writes addresses, and the extra-charge form.

Against fake services (tests/gateway/fakes.py, fakes_orders.py): the part's address is the
one the shops service holds; its columns in orders.csv are tested in
tests/shops/test_delivery_address.py.
"""

from __future__ import annotations

from tests.gateway.helpers import text
from tests.gateway.sell.fakes_orders import a_delivery_address, a_seller_order, seller_order_answers

BLOCK = "Ben Buyer\nDamrak 1\n1012 LG AMSTERDAM\nNETHERLANDS"


def test_the_order_page_slip_and_extra_charge_form_show_the_address(portal, fakes):
    seller_order_answers(fakes, a_seller_order())

    order_page = text(portal.get("/sell/orders/so-1"))
    slip = text(portal.get("/sell/orders/so-1/slip"))

    ship_to = order_page[order_page.index('id="ship-to"') :]
    assert BLOCK in ship_to[: ship_to.index("</div>")]
    form = order_page[order_page.index('id="extra-charge-form"') :]
    assert 'id="extra-charge-ship-to"' in form and "Damrak 1" in form[: form.index("</form>")]
    ship_block = slip[slip.index('id="slip-buyer"') :]
    # The Dutch way: postal code before the town, the country last for the border.
    assert BLOCK in ship_block[: ship_block.index("</address>")]


def test_a_french_address_is_laid_out_the_french_way(portal, fakes):
    address = a_delivery_address(
        name="Clara Reader", street_address="12 rue Vivienne", city="PARIS", postal_code="75002"
    ) | {"country_code": "FR"}
    seller_order_answers(fakes, a_seller_order(delivery_address=address))

    slip = text(portal.get("/sell/orders/so-1/slip"))

    assert "Clara Reader\n12 rue Vivienne\n75002 PARIS\nFRANCE" in slip


def test_an_order_collected_in_person_has_no_address_to_show(portal, fakes):
    # Its shop never gets the buyer's address.
    order = a_seller_order(delivery_address=None)
    order["delivery"] |= {"service": None, "service_name": None, "collection": True}
    seller_order_answers(fakes, order)

    order_page = text(portal.get("/sell/orders/so-1"))
    slip = text(portal.get("/sell/orders/so-1/slip"))

    assert 'id="ship-to"' not in order_page and "Collection in person" in order_page
    assert '<p id="slip-buyer">Ben Buyer</p>' in slip and "Damrak" not in slip


def test_ship_to_says_to_ask_the_buyer_without_an_address_and_only_the_country_once_erased(app):
    template = app.jinja_env.get_template("sell/_ship_to.html")
    with app.test_request_context():
        placed_before = template.render(
            order={"delivery_address": None, "buyer": {"name": "Ada Reader"}}
        )
        erased = template.render(
            order={"delivery_address": {"country_code": "FR"}, "address_erased": True}
        )

    assert "No address: ask the buyer (Ada Reader)" in placed_before
    assert "To France." in erased and "removed" in erased
