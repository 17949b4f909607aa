"""The shop's rules on their own: no database, no broker."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from services.shops.db import new_id, new_ids
from services.shops.domain import (
    DEFAULT_CURRENCY,
    CancellationAnswer,
    IllegalTransition,
    InvalidInput,
    PaymentNotConfirmed,
    ShopOrderLifecycle,
    ShopOrderStatus,
    check_listing,
    check_shop,
    slugify,
    unique_slug,
)

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


@dataclass
class FakeOrder(ShopOrderLifecycle):
    status: str = ShopOrderStatus.PENDING
    stock_reserved: bool = True
    decided_at: datetime | None = None
    decline_reason: str | None = None
    note: str | None = None
    signed_by: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    shipped_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    payment_status: str | None = None
    payment_confirmed_at: datetime | None = None


def listing_fields(**overrides):
    fields = {"title": "Dune", "price_amount": 900, "price_currency": "eur", "quantity": 1}
    return fields | overrides


# --- shops ------------------------------------------------------------------------------


def test_check_shop_cleans_and_defaults():
    draft = check_shop(name="  Rue des Livres ", signature="Camille", country="fr")
    assert (draft.name, draft.country, draft.currency, draft.about) == (
        "Rue des Livres",
        "FR",
        DEFAULT_CURRENCY,
        "",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"signature": ""}, "signature"),
        ({"signature": "s" * 201}, "signature"),
        ({"country": "France"}, "country"),
        ({"currency": "EU"}, "currency"),
    ],
)
def test_check_shop_refuses_bad_fields(overrides, field):
    with pytest.raises(InvalidInput) as refused:
        check_shop(**({"name": "Shop", "signature": "Me"} | overrides))
    assert list(refused.value.fields) == [field]


def test_check_shop_reports_every_bad_field_at_once():
    with pytest.raises(InvalidInput) as refused:
        check_shop(name="", signature=" ")
    assert set(refused.value.fields) == {"name", "signature"}
    assert "must not be blank" in str(refused.value)


# --- listings ---------------------------------------------------------------------------


def test_check_listing_normalizes_currency_and_isbn():
    draft = check_listing(**listing_fields(isbn="978-0-441-01359-3 "))
    assert draft.price_currency == "EUR"
    assert draft.isbn == "9780441013593"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price_amount": 0}, "price.amount"),
        ({"price_amount": -5}, "price.amount"),
        ({"quantity": -1}, "quantity"),
        ({"title": "  "}, "title"),
        ({"title": "t" * 301}, "title"),
        ({"isbn": "12345"}, "isbn"),
        ({"price_currency": None}, "price.currency"),
    ],
)
def test_check_listing_refuses_bad_fields(overrides, field):
    with pytest.raises(InvalidInput) as refused:
        check_listing(**listing_fields(**overrides))
    assert field in refused.value.fields


def test_check_listing_accepts_zero_quantity():
    assert check_listing(**listing_fields(quantity=0)).quantity == 0


# --- slugs ------------------------------------------------------------------------------


def test_slugify_folds_accents_and_punctuation():
    assert slugify("Café de Flore — Books & Prints!") == "cafe-de-flore-books-prints"


def test_slugify_never_returns_empty():
    assert slugify("!!!") == "shop"


def test_unique_slug_adds_the_first_free_number():
    assert unique_slug("Rue des Livres", []) == "rue-des-livres"
    assert unique_slug("Rue des Livres", ["rue-des-livres"]) == "rue-des-livres-2"
    taken = ["rue-des-livres", "rue-des-livres-2", "rue-des-livres-3"]
    assert unique_slug("Rue des Livres", taken) == "rue-des-livres-4"


# --- the shop order's lifecycle -----------------------------------------------------------


def test_accept_moves_pending_to_accepted():
    order = FakeOrder()
    order.accept(now=NOW)
    assert (order.status, order.decided_at) == (ShopOrderStatus.ACCEPTED, NOW)


def test_decline_requires_a_reason_and_gives_stock_back_once():
    order = FakeOrder()
    with pytest.raises(InvalidInput):
        order.decline(reason="  ", now=NOW)
    assert order.status == ShopOrderStatus.PENDING
    assert order.decline(reason="Damaged in the shop", now=NOW) is True
    assert (order.status, order.decline_reason) == (ShopOrderStatus.DECLINED, "Damaged in the shop")
    assert order.stock_reserved is False


def test_ship_requires_an_accepted_order_and_a_note():
    order = FakeOrder()
    with pytest.raises(IllegalTransition, match="this order is pending.*only accepted orders"):
        order.ship(note="Enjoy", signed_by="Camille", now=NOW)
    order.accept(now=NOW)
    with pytest.raises(PaymentNotConfirmed, match="not confirmed yet"):
        order.ship(note="Enjoy", signed_by="Camille", now=NOW)
    assert order.record_payment_captured(now=NOW) is True
    assert order.ready_to_ship
    with pytest.raises(InvalidInput):
        order.ship(note=" ", signed_by="Camille", now=NOW)
    with pytest.raises(InvalidInput):
        order.ship(note="n" * 2001, signed_by="Camille", now=NOW)
    order.ship(note="Enjoy it!", signed_by="Camille", carrier="La Poste", now=NOW)
    assert (order.status, order.signed_by, order.carrier) == ("shipped", "Camille", "La Poste")


def test_payment_failed_cancels_an_accepted_order_which_then_never_ships():
    order = FakeOrder()
    order.accept(now=NOW)

    assert order.record_payment_failed(reason="card refused", now=NOW) is True  # stock back
    assert order.record_payment_failed(reason="card refused", now=NOW) is False  # known

    assert (order.status, order.payment_status, order.cancel_reason) == (
        "cancelled",
        "failed",
        "card refused",
    )
    with pytest.raises(PaymentNotConfirmed, match="failed: do not ship"):
        order.ship(note="Enjoy", signed_by="Camille", now=NOW)


@pytest.mark.parametrize("status", ["pending", "declined", "shipped", "cancelled"])
def test_a_payment_event_for_an_order_not_waiting_for_it_is_a_contradiction(status):
    with pytest.raises(IllegalTransition):
        FakeOrder(status=status).record_payment_captured(now=NOW)
    with pytest.raises(IllegalTransition):
        FakeOrder(status=status).record_payment_failed(reason="refused", now=NOW)


@pytest.mark.parametrize(
    ("status", "answer", "stock_back", "after"),
    [
        ("pending", CancellationAnswer.GRANTED, True, "cancelled"),
        ("cancelled", CancellationAnswer.GRANTED, False, "cancelled"),
        ("accepted", CancellationAnswer.REFUSED, False, "accepted"),
        ("shipped", CancellationAnswer.REFUSED, False, "shipped"),
        ("declined", CancellationAnswer.MOOT, False, "declined"),
    ],
)
def test_answer_cancellation_grants_only_until_the_shop_accepts(status, answer, stock_back, after):
    order = FakeOrder(status=status, stock_reserved=status in ("pending", "accepted"))

    assert order.answer_cancellation(reason="changed my mind", now=NOW) == (answer, stock_back)
    assert order.status == after


@pytest.mark.parametrize("status", ["accepted", "declined", "shipped", "cancelled"])
def test_accept_refuses_anything_but_pending(status):
    order = FakeOrder(status=status)
    with pytest.raises(IllegalTransition, match=f"this order is {status}"):
        order.accept(now=NOW)


@pytest.mark.parametrize("status", ["declined", "shipped", "cancelled"])
def test_cancel_refuses_finished_orders(status):
    with pytest.raises(IllegalTransition):
        FakeOrder(status=status).cancel(reason="buyer changed their mind", now=NOW)


def test_cancel_of_an_accepted_order_gives_stock_back():
    order = FakeOrder(status=ShopOrderStatus.ACCEPTED)
    assert order.cancel(reason="payment failed", now=NOW) is True
    assert order.status == ShopOrderStatus.CANCELLED
    assert order.cancel_reason == "payment failed"


def test_new_ids_are_distinct_random_uuids_like_new_id():
    ids = new_ids(500)
    assert len(set(ids)) == 500 and new_ids(0) == []
    for text in [*ids, new_id()]:
        parsed = uuid.UUID(text)
        assert (str(parsed), parsed.version, parsed.variant) == (text, 4, uuid.RFC_4122)
