"""The public API's OpenAPI document, checked against the API itself with schemathesis:
no request it can make gets a 5xx or an answer that breaks the document's own schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.shops.conftest import build_service
from tests.shops.public_api.conftest import item, token_shop

pytestmark = pytest.mark.integration

# Few examples per operation: the whole run stays well under a minute in CI.
EXAMPLES = 8


@pytest.fixture
def api_schema(tmp_path, request):
    """The document as the service serves it, with a token of a shop that has a listing."""
    service = build_service(f"sqlite:///{tmp_path / 'shops.db'}")
    request.addfinalizer(service.runtime.engine.dispose)
    shop = token_shop(service, "Ada")
    shop.call("POST", "/listings", json=item("A-1"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", service.client.application)
    request.node.auth = shop.headers()
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


def test_the_document_is_openapi_3_1_and_names_every_public_endpoint(shops):
    document = shops.client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert {
        "/api/v1/listings",
        "/api/v1/listings/{sku}",
        "/api/v1/listings/bulk",
        "/api/v1/listings/{sku}/stock",
        "/api/v1/orders",
        "/api/v1/orders/{shop_order_id}/accept",
        "/api/v1/orders/{shop_order_id}/ship",
        "/api/v1/orders/{shop_order_id}/extra-charge",
    } <= set(document["paths"])
    page = shops.client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/api/v1/listings/{sku}/stock" in page.data


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_public_api_keeps_its_document(case, request):
    case.call_and_validate(
        headers=request.node.auth, checks=[not_a_server_error, response_schema_conformance]
    )
