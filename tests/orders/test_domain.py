"""The orders domain without any database, broker or HTTP."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.orders.domain.cart import review_cart
from services.orders.domain.errors import EmptyCart, IllegalTransition, MixedCurrencies
from services.orders.domain.money import Money
from services.orders.domain.order import PartStatus, Shipment, ShopOrderPart
from tests.orders.factories import cart_item, eur, listing, place_order

SHIPMENT = Shipment("Enjoy it, and mind the coffee stain on page 3.", "Margaret", "DHL", "JJD01")


def a_part(status: PartStatus = PartStatus.PLACED) -> ShopOrderPart:
    part = place_order([cart_item()]).parts[0]
    part.status = status
    return part


def test_money_add_refuses_mixed_currencies():
    with pytest.raises(MixedCurrencies):
        eur(100) + Money(100, "USD")


def test_money_str_shows_minor_units():
    assert str(eur(1205)) == "EUR 12.05"
    assert str(Money(500, "JPY")) == "JPY 500"


def test_place_groups_items_by_shop():
    a1 = cart_item(listing(shop_id="a", price=eur(1000)), quantity=2)
    b1 = cart_item(listing(shop_id="b", price=eur(300)))
    a2 = cart_item(listing(shop_id="a", price=eur(150)))

    order = place_order([a1, b1, a2])

    assert [part.shop_id for part in order.parts] == ["a", "b"]
    assert [len(part.lines) for part in order.parts] == [2, 1]
    assert [part.subtotal for part in order.parts] == [eur(2150), eur(300)]
    assert all(part.shipping == eur(0) for part in order.parts)
    assert all(part.status == PartStatus.PLACED for part in order.parts)
    assert order.total == eur(2450)
    assert len({order.id, *(part.id for part in order.parts)}) == 3


def test_place_refuses_an_empty_cart():
    with pytest.raises(EmptyCart):
        place_order([])


def test_place_refuses_mixed_currencies():
    with pytest.raises(MixedCurrencies, match="mixed currencies"):
        place_order([cart_item(), cart_item(listing(price=Money(900, "USD")))])


@pytest.mark.parametrize(
    ("start", "command"),
    [
        (PartStatus.PLACED, lambda p: p.ship(SHIPMENT)),
        (PartStatus.SHIPPED, lambda p: p.decline("too late")),
        (PartStatus.ACCEPTED, lambda p: p.cancel()),
        (PartStatus.DECLINED, lambda p: p.accept()),
        (PartStatus.SHIPPED, lambda p: p.cancel()),
        (PartStatus.CANCELLED, lambda p: p.accept()),
    ],
)
def test_part_commands_refuse_illegal_transitions(start, command):
    part = a_part(start)
    with pytest.raises(IllegalTransition):
        command(part)
    assert part.status == start


def test_part_commands_follow_the_happy_path():
    part = a_part()
    part.accept()
    part.ship(SHIPMENT)
    assert part.status == PartStatus.SHIPPED
    assert part.shipment == SHIPMENT


def test_record_accepted_twice_changes_nothing_the_second_time():
    part = a_part()
    assert part.record_accepted() == [PartStatus.ACCEPTED]
    assert part.record_accepted() == []
    assert part.status == PartStatus.ACCEPTED


def test_record_shipped_for_a_part_already_shipped_is_a_no_op():
    part = a_part()
    part.record_accepted()
    assert part.record_shipped(SHIPMENT) == [PartStatus.SHIPPED]
    assert part.record_shipped(Shipment("another note", "Someone else")) == []
    assert part.shipment == SHIPMENT


def test_record_shipped_before_accepted_records_both_and_the_late_accept_is_stale():
    part = a_part()
    assert part.record_shipped(SHIPMENT) == [PartStatus.ACCEPTED, PartStatus.SHIPPED]
    assert part.record_accepted() == []
    assert part.status == PartStatus.SHIPPED


def test_record_declined_stores_the_reason_once():
    part = a_part()
    assert part.record_declined("sold in the shop this morning") == [PartStatus.DECLINED]
    assert part.record_declined("again") == []
    assert part.decline_reason == "sold in the shop this morning"


def test_record_accepted_after_declined_is_refused():
    part = a_part()
    part.record_declined("sold out")
    with pytest.raises(IllegalTransition):
        part.record_accepted()
    assert part.status == PartStatus.DECLINED


def test_review_cart_names_each_change():
    cheaper = listing(title="Middlemarch", price=eur(900), quantity=1)
    gone = listing(title="Dubliners")
    fine = listing()
    items = [
        cart_item(cheaper, quantity=2),
        cart_item(gone),
        cart_item(fine),
    ]
    current = {
        cheaper.id: replace(cheaper, price=eur(1100)),
        gone.id: None,
        fine.id: fine,
    }

    problems = review_cart(items, current)

    assert [p.listing_id for p in problems] == [cheaper.id, gone.id]
    assert "“Middlemarch” changed from EUR 9.00 to EUR 11.00" in problems[0].message
    assert "only 1 of “Middlemarch” left, you asked for 2" in problems[0].message
    assert problems[0].current_price == eur(1100)
    assert problems[1].message == "“Dubliners” is no longer for sale"
    assert problems[1].current_price is None
