"""After the sale, as the pages show it: the asks for a part's refunds and cases (the buyer's
order page, the seller's order page) and for the shop's ledger (the statement), made with
the page's other calls."""

from __future__ import annotations

from functools import partial

from gateway import identity
from gateway.clients.aftersale import AfterSaleClient
from gateway.pages.gather import Ask


def buyer_client() -> AfterSaleClient:
    return identity.client_of(AfterSaleClient, "orders")


def shop_client() -> AfterSaleClient:
    # The token names the shops the person belongs to now, as the orders service checks.
    return identity.client_of(AfterSaleClient, "orders")


def order_aftersale_ask(order_id: str) -> Ask:
    """{part id: {refunds, cases, money, can_report_problem}} for the buyer's order."""
    client = buyer_client()
    return Ask(
        lambda: client.order_aftersale(order_id).get("parts") or {},
        "the refunds and cases of this order",
    )


def shop_part_aftersale_ask(shop_id: str, part_id: str) -> Ask:
    client = shop_client()
    return Ask(partial(client.shop_part, shop_id, part_id), "the refunds and cases of this order")


def shop_movements_ask(shop_id: str) -> Ask:
    client = shop_client()
    return Ask(
        lambda: client.shop_movements(shop_id).get("movements", []),
        "every movement of your ledger",
    )
