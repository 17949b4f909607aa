"""Where the parcel goes, on the seller's side: the order page, the packing slip laid out as
the destination country writes addresses, the extra-charge form and orders.csv."""

from __future__ import annotations

import csv
import io

from tests import support
from tests.gateway.helpers import text
from tests.gateway.sell.helpers import ORDER_LINK, buy

BLOCK = "Ben Buyer\nDamrak 1\n1012 LG AMSTERDAM\nNETHERLANDS"


def test_order_page_slip_extra_charge_form_and_export_show_the_address(seller, live_gateway):
    listing = seller.add_listing(title="Villette", quantity=1)
    buy(live_gateway, listing["id"])
    dashboard = support.wait_for(
        lambda: (page := text(seller.client.get("/sell/"))) and "Ben Buyer" in page and page
    )
    shop_order_id = ORDER_LINK.search(dashboard).group(1)

    order_page = text(seller.client.get(f"/sell/orders/{shop_order_id}"))
    ship_to = order_page[order_page.index('id="ship-to"') :]
    assert BLOCK in ship_to[: ship_to.index("</div>")]
    form = order_page[order_page.index('id="extra-charge-form"') :]
    assert 'id="extra-charge-ship-to"' in form and "Damrak 1" in form[: form.index("</form>")]

    slip = text(seller.client.get(f"/sell/orders/{shop_order_id}/slip"))
    ship_block = slip[slip.index('id="slip-buyer"') :]
    # The Dutch way: postal code before the town, the country last for the border.
    assert BLOCK in ship_block[: ship_block.index("</address>")]

    exported = seller.client.get("/sell/exports/orders.csv")
    assert exported.status_code == 200
    row = next(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert (row["ship_to_name"], row["ship_to_street"], row["ship_to_postal_code"]) == (
        "Ben Buyer",
        "Damrak 1",
        "1012 LG",
    )
    assert (row["ship_to_city"], row["ship_to_country"]) == ("AMSTERDAM", "NL")


def test_ship_to_says_to_ask_the_buyer_without_an_address_and_only_the_country_once_erased(
    live_gateway,
):
    template = live_gateway.jinja_env.get_template("sell/_ship_to.html")
    with live_gateway.test_request_context():
        placed_before = template.render(
            order={"delivery_address": None, "buyer": {"name": "Ada Reader"}}
        )
        erased = template.render(
            order={"delivery_address": {"country_code": "FR"}, "address_erased": True}
        )

    assert "No address: ask the buyer (Ada Reader)" in placed_before
    assert "To France." in erased and "removed" in erased
