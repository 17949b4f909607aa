"""The buyer's address book over HTTP: saved addresses, one default, each buyer's own."""

from __future__ import annotations

import pytest

from services.orders import db
from tests import support
from tests.orders.factories import postal_address

pytestmark = pytest.mark.integration


def save(orders, user: str, address: dict, **extra):
    return orders.client.post("/addresses", json=address | extra, headers=support.auth_header(user))


def book(orders, user: str) -> list[dict]:
    response = orders.client.get("/addresses", headers=support.auth_header(user))
    assert response.status_code == 200
    return response.get_json()["addresses"]


def test_the_first_saved_address_is_the_default_and_another_can_become_it(orders_on_sqlite):
    orders = orders_on_sqlite
    home = save(orders, "ada", postal_address("GB"))
    work = save(orders, "ada", postal_address("FR"))

    assert (home.status_code, work.status_code) == (201, 201)
    assert home.get_json()["is_default"] is True
    assert work.get_json()["is_default"] is False
    assert work.get_json()["lines"][-2:] == ["75002 PARIS", "FRANCE"]
    assert [a["id"] for a in book(orders, "ada")] == [home.get_json()["id"], work.get_json()["id"]]

    made = orders.client.post(
        f"/addresses/{work.get_json()['id']}/default", headers=support.auth_header("ada")
    )

    assert made.status_code == 200
    assert [(a["id"], a["is_default"]) for a in book(orders, "ada")] == [
        (work.get_json()["id"], True),
        (home.get_json()["id"], False),
    ]


def test_change_and_delete_an_address_and_the_default_passes_on(orders_on_sqlite):
    orders = orders_on_sqlite
    home = save(orders, "ada", postal_address("GB")).get_json()
    work = save(orders, "ada", postal_address("DE")).get_json()

    changed = orders.client.put(
        f"/addresses/{work['id']}",
        json=postal_address("DE", street_address="Friedrichstraße 2"),
        headers=support.auth_header("ada"),
    )
    assert changed.status_code == 200
    assert changed.get_json()["address"]["street_address"] == "Friedrichstraße 2"

    deleted = orders.client.delete(f"/addresses/{home['id']}", headers=support.auth_header("ada"))

    assert deleted.status_code == 204
    assert [(a["id"], a["is_default"]) for a in book(orders, "ada")] == [(work["id"], True)]


def test_a_bad_address_is_refused_naming_the_field_and_nothing_saved(orders_on_sqlite):
    orders = orders_on_sqlite
    response = save(orders, "ada", postal_address("FR", postal_code="7500"))

    assert response.status_code == 422
    assert response.get_json()["fields"] == {
        "postal_code": "This postal code does not look like one from France, e.g. 33380."
    }
    assert orders.count(db.SavedAddress) == 0
    saved = save(orders, "ada", postal_address("FR")).get_json()
    bad_change = orders.client.put(
        f"/addresses/{saved['id']}",
        json=postal_address("FR", city=""),
        headers=support.auth_header("ada"),
    )
    assert bad_change.status_code == 422
    assert "city" in bad_change.get_json()["fields"]
    assert book(orders, "ada")[0]["address"]["city"] == "PARIS"


def test_another_buyers_address_is_404_for_every_action(orders_on_sqlite):
    orders = orders_on_sqlite
    saved = save(orders, "ada", postal_address("GB")).get_json()
    eve = support.auth_header("eve")
    url = f"/addresses/{saved['id']}"

    assert orders.client.get(url, headers=eve).status_code == 404
    assert orders.client.put(url, json=postal_address("FR"), headers=eve).status_code == 404
    assert orders.client.post(url + "/default", headers=eve).status_code == 404
    assert orders.client.delete(url, headers=eve).status_code == 404
    assert book(orders, "eve") == []
    assert book(orders, "ada")[0]["address"]["street_address"] == "1 Analytical Row"
    assert orders.client.get("/addresses").status_code == 401
