"""Random input to every route of every service: never a 5xx, and a refused request
writes nothing.

Hypothesis draws a route of the service's own URL map, fills its path with real ids or odd
text, and sends JSON bodies and query strings made of odd text (lone surrogates, NUL and
other control characters, huge strings), odd numbers (NaN, infinities, 1e308, integers past
64 bits) and deep nesting, with the keys the APIs read. Each service runs on a real
database seeded with a shop, a listing, an order and a conversation, so the requests reach
the code that parses and stores. FUZZ_EXAMPLES sets the number of requests per service.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, MetaData, select

from services.common.contracts import Buyer
from tests import support

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
NOT_API = {"static", "healthz", "readyz", "metrics"}

ODD_TEXT = [
    "",
    " ",
    "\ud800",
    "a\udfffb",
    "\x00",
    "nul\x00byte",
    "esc\x1b[2J",
    "\x7f",
    "\x85",
    "line\nbreak\ttab",
    "\u2028",
    '=HYPERLINK("x")',
    "ZZ",
    "ZZZ",
    "gb",
    "EUR",
    "9" * 30,
    "-1",
    "NaN",
    "1e308",
    "x" * 5000,
    "🙂" * 50,
    "../../etc/passwd",
    "'; DROP TABLE shops; --",
]
ODD_NUMBERS = [0, -1, 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, -(2**63) - 1, 10**30, 1e308, -1e308]
# The keys the services' APIs read, so that bodies reach their fields.
KEYS = [
    "name", "signature", "about", "country", "currency", "policies", "returns",
    "shipping_times", "shipping", "domestic_first", "order_handling", "mode",
    "response_hours", "on_vacation", "user_id", "role", "title", "price", "amount",
    "quantity", "sku", "author", "isbn", "publisher", "year", "binding", "condition",
    "condition_notes", "description", "categories", "photos", "listing_ids", "set_price",
    "adjust_price_percent", "set_quantity", "adjust_quantity", "reason", "note", "carrier",
    "tracking_number", "notes", "tags", "text", "rating", "listing_id", "idempotency_key",
    "shipping_name", "shipping_address", "card_number", "expected_total", "shop_ids",
    "user_ids", "words", "condition_at_least", "first_edition", "ships_to", "max_price",
    "q", "page", "per_page", "price_min", "price_max", "sort", "ship_to", "shop",
    "rating_at_least", "unread", "unanswered", "after", "limit", "filename",
]  # fmt: skip

text = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=30))
numbers = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)
keys = st.one_of(st.sampled_from(KEYS), text)
values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, text),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=12,
)
RAW_BODIES = [
    b"[" * 100_000,
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    b"\xff\xfe\x00garbage",
    b'{"name": "\\ud800"}',
    b'{"price": {"amount": 1e999}}',
    b"",
    b"null",
]


def encoded(body: object) -> bytes:
    return json.dumps(body, allow_nan=True).encode()


bodies = st.one_of(
    st.dictionaries(keys, values, max_size=8).map(encoded),
    values.map(encoded),
    st.sampled_from(RAW_BODIES),
)
queries = st.dictionaries(st.sampled_from(KEYS), st.one_of(text, numbers.map(str)), max_size=4)


@dataclass
class Service:
    client: FlaskClient
    engine: Engine
    # Real ids by path parameter name, so that routes get past "not found".
    ids: dict[str, str]
    # The headers a request may carry: members, buyers, the gateway, nobody.
    headers: list[dict]


def snapshot(engine: Engine, metadata: MetaData) -> dict[str, list]:
    """Every row of every table: what a refused request must leave as it was."""
    with engine.connect() as connection:
        return {
            name: sorted(map(repr, connection.execute(select(table)).all()))
            for name, table in sorted(metadata.tables.items())
            if name != "alembic_version"
        }


def quoted(value: str) -> str:
    # A lone surrogate goes out as the bytes a careless client would send.
    return quote(value, safe="", errors="surrogatepass")


def fuzz(service: Service) -> None:
    metadata = MetaData()
    metadata.reflect(service.engine)
    rules = sorted(
        (rule for rule in service.client.application.url_map.iter_rules()
         if rule.endpoint not in NOT_API),
        key=lambda rule: rule.rule,
    )  # fmt: skip

    @st.composite
    def requests(draw: Callable) -> tuple[str, str, bytes | None, str, dict]:
        rule = draw(st.sampled_from(rules))
        method = draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
        path = rule.rule
        for argument in rule.arguments:
            real = service.ids.get(argument)
            value = draw(st.one_of(st.just(real), text) if real else text)
            path = path.replace(f"<{argument}>", quoted(value or "x"))
        body = draw(bodies) if method in ("POST", "PUT", "PATCH") else None
        query = "&".join(f"{quoted(k)}={quoted(v)}" for k, v in draw(queries).items())
        return method, path, body, query, draw(st.sampled_from(service.headers))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(requests())
    def no_5xx_and_nothing_written_when_refused(request: tuple) -> None:
        method, path, body, query, headers = request
        before = snapshot(service.engine, metadata)
        response = service.client.open(
            path,
            method=method,
            data=body,
            query_string=query,
            headers=headers,
            content_type="application/json",
        )
        assert response.status_code < 500, (method, path, response.get_data(as_text=True)[:500])
        if response.status_code >= 400:
            after = snapshot(service.engine, metadata)
            assert after == before, (method, path, response.status_code)

    no_5xx_and_nothing_written_when_refused()


def test_shops_api_survives_random_input(database_url):
    from tests.shops.conftest import build_service, listing_body, make_seller, order_placed

    shops = build_service(database_url)
    seller = make_seller("Camille")
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], **listing_body(quantity=5))
    placed = order_placed(shop["id"], [(listing, 1)], buyer=Buyer(user_id="u-ben", name="Ben"))
    shops.deliver(placed)
    try:
        fuzz(
            Service(
                client=shops.client,
                engine=shops.runtime.engine,
                ids={
                    "shop_id": shop["id"],
                    "listing_id": listing["id"],
                    "shop_order_id": placed.shop_order_id,
                    "user_id": "u-ben",
                    "name": "orders",
                },
                headers=[seller.headers(), support.auth_header("someone-else"), {}],
            )
        )
    finally:
        shops.runtime.engine.dispose()


def test_orders_api_survives_random_input(database_url):
    from tests.orders.conftest import build_service
    from tests.orders.factories import listing

    orders = build_service(database_url)
    book = orders.listings.add(listing(shop_id="a", shop_name="Hogarth Books"))
    order = orders.order_in_cart("ada", orders.listings.add(listing(shop_id="a")))
    asked = orders.client.post(
        f"/listings/{book.id}/questions",
        json={"text": "Is it signed?"},
        headers=support.auth_header("ada", "Ada"),
    )
    assert asked.status_code == 201
    part = order["parts"][0]
    try:
        fuzz(
            Service(
                client=orders.client,
                engine=orders.runtime.engine,
                ids={
                    "order_id": order["id"],
                    "part_id": part["shop_order_id"],
                    "shop_order_id": part["shop_order_id"],
                    "shop_id": "a",
                    "listing_id": book.id,
                    "conversation_id": asked.get_json()["id"],
                    "answer": "accept",
                },
                headers=[
                    support.auth_header("ada", "Ada"),
                    support.auth_header("olga", "Olga", shops=("a",)),
                    support.service_header(),
                    {},
                ],
            )
        )
    finally:
        orders.runtime.engine.dispose()


def test_catalog_api_survives_random_input(database_url, tmp_path):
    from tests.catalog.conftest import build_catalog
    from tests.catalog.factories import listing_upserted, shop_updated

    catalog = build_catalog(database_url, tmp_path)
    catalog.deliver(shop_updated(shop_id="shop-1"))
    upserted = listing_upserted(shop_id="shop-1", title="Orlando")
    catalog.deliver(upserted)
    made = catalog.client.post(
        "/wants", json={"words": "orlando"}, headers=support.auth_header("cat")
    )
    assert made.status_code == 201
    try:
        fuzz(
            Service(
                client=catalog.client,
                engine=catalog.runtime.engine,
                ids={
                    "listing_id": upserted.listing_id,
                    "key": "hobbit-hole-books",
                    "want_id": made.get_json()["id"],
                },
                headers=[support.auth_header("cat"), {}],
            )
        )
    finally:
        catalog.runtime.engine.dispose()
