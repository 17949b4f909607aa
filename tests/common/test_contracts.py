from datetime import UTC, datetime

import pytest

from services.common.contracts import (
    Buyer,
    ContractError,
    Money,
    OrderLine,
    OrderPlaced,
    ShopUpdated,
    decode,
    encode,
    wrap,
)


def order_placed(**overrides) -> OrderPlaced:
    fields = dict(
        order_id="o1",
        shop_order_id="so1",
        shop_id="shop-7",
        buyer=Buyer(user_id="u1", name="Rosa"),
        lines=[
            OrderLine(
                listing_id="l1",
                title="Emma",
                quantity=1,
                unit_price=Money(amount=1250, currency="eur"),
            )
        ],
        subtotal=Money(amount=1250, currency="EUR"),
        shipping=Money(amount=0, currency="EUR"),
        placed_at=datetime.now(UTC),
    )
    fields.update(overrides)
    return OrderPlaced(**fields)


def test_decode_round_trips_an_encoded_event():
    event = order_placed()
    envelope, decoded = decode(encode(wrap(event)))
    assert decoded == event
    assert envelope.type == "order.placed" and envelope.version == 1


def test_routing_key_of_order_placed_names_the_shop():
    assert order_placed().routing_key() == "order.placed.shop-7"


def test_money_currency_is_upper_case():
    assert Money(amount=5, currency="gbp").currency == "GBP"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"type": "shop.updated", "version": 1}',
        b'{"type": "no.such.event", "version": 1, "payload": {}}',
        b'{"type": "shop.updated", "version": 9, "payload": {}}',
        b'{"type": "shop.updated", "version": 1, "payload": {"shop_id": "s"}}',
    ],
)
def test_decode_rejects_what_matches_no_contract(body):
    with pytest.raises(ContractError):
        decode(body)


def test_events_refuse_unknown_fields():
    with pytest.raises(ValueError):
        ShopUpdated(shop_id="s", slug="s", name="n", signature="x", surprise=True)


def test_order_placed_needs_at_least_one_line():
    with pytest.raises(ValueError):
        order_placed(lines=[])


@pytest.mark.parametrize("currency", ["EU", "EURO", ""])
def test_money_currency_has_three_letters(currency):
    with pytest.raises(ValueError):
        Money(amount=5, currency=currency)
