"""The orders service's OpenAPI document, checked against the service with schemathesis,
signed in as a buyer with a cart, a placed order and a saved address; and the operator's
routes, signed in as the operator, with disputes and a reported review to read."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import support
from tests.orders.conftest import build_service
from tests.orders.factories import listing, postal_address
from tests.orders.test_cases import _escalated, _reviewed, operator_header

pytestmark = pytest.mark.integration

EXAMPLES = 5  # per operation: the whole run stays within seconds
BUYER = support.FreshAuthHeader("ada", "Ada")


@pytest.fixture
def orders_schema(tmp_path, request):
    service = build_service(f"sqlite:///{tmp_path / 'orders.db'}")
    request.addfinalizer(service.runtime.engine.dispose)
    service.order_in_cart("ada")
    service.add_to_cart("ada", service.listings.add(listing(shop_id="shop-b")))
    saved = service.client.post("/addresses", json=postal_address("GB"), headers=dict(BUYER))
    assert saved.status_code == 201, saved.get_json()
    return schemathesis.openapi.from_wsgi("/openapi.json", service.client.application)


schema = schemathesis.pytest.from_fixture("orders_schema")


def test_the_document_is_openapi_3_1_and_names_the_buyer_api(orders_on_sqlite):
    document = orders_on_sqlite.client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert {"/cart", "/checkout", "/orders/{order_id}", "/addresses"} <= set(paths)
    checkout = paths["/checkout"]["post"]
    # Both answers of a checkout: the order made, and the one its key had already placed.
    assert {"200", "201", "402", "409", "422"} <= set(checkout["responses"])
    assert "idempotency_key" in _schema_of(document, checkout["requestBody"])["properties"]


def _schema_of(document: dict, body: dict) -> dict:
    ref = body["content"]["application/json"]["schema"]["$ref"]
    name = ref.rsplit("/", 1)[-1]
    return document["components"]["schemas"][name]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_orders_keep_their_document(case):
    case.call_and_validate(
        headers=dict(BUYER), checks=[not_a_server_error, response_schema_conformance]
    )


@pytest.fixture
def operator_schema(tmp_path, amqp_prefix, request):
    """The operator's routes with something in each list: a dispute waiting, one decided, a
    reported review and the audit log's record of the decision."""
    service = build_service(f"sqlite:///{tmp_path / 'orders.db'}", amqp_prefix)
    request.addfinalizer(service.runtime.engine.dispose)
    _escalated(service)
    _, _, decided = _escalated(service)
    closed = service.client.post(
        f"/operator/disputes/{decided['id']}/decision",
        json={"decision": "close", "reason": "The tracking shows it was delivered."},
        headers=operator_header(),
    )
    assert closed.status_code == 200, closed.get_json()
    review = _reviewed(service)
    reported = service.client.post(
        f"/reviews/{review['id']}/reports", json={"reason": "Insults."}, headers=dict(BUYER)
    )
    assert reported.status_code == 201, reported.get_json()
    return schemathesis.openapi.from_wsgi("/openapi.json", service.client.application)


operator_routes = schemathesis.pytest.from_fixture("operator_schema").include(
    path_regex="^/operator/"
)


@operator_routes.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_operators_routes_keep_their_document(case):
    case.call_and_validate(
        headers=operator_header(), checks=[not_a_server_error, response_schema_conformance]
    )
