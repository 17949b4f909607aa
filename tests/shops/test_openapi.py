"""The shops service's own API (what the gateway calls) and its OpenAPI document, checked
against each other with schemathesis, signed in as the owner of a shop with a listing; and
the operator's routes, signed in as the operator."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from services.common.auth import Operator, issue_operator_token
from tests import support
from tests.shops.conftest import build_service, make_seller

pytestmark = pytest.mark.integration

EXAMPLES = 5  # per operation: the whole run stays within seconds


@pytest.fixture
def shops_schema(tmp_path, request):
    service = build_service(f"sqlite:///{tmp_path / 'shops.db'}")
    request.addfinalizer(service.runtime.engine.dispose)
    owner = make_seller()
    shop = service.open_shop(owner)
    service.add_listing(owner, shop["id"], sku="ROSE-1")
    request.node.auth = owner.headers()
    return schemathesis.openapi.from_wsgi("/openapi.json", service.client.application)


schema = schemathesis.pytest.from_fixture("shops_schema")


def test_the_document_names_the_shops_api_and_not_the_public_one(shops):
    document = shops.client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    paths = set(document["paths"])
    assert {"/shops", "/shops/{shop_id}/listings", "/shops/{shop_id}/orders"} <= paths
    assert not any(path.startswith("/api/v1/") for path in paths)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_shops_keep_their_document(case, request):
    case.call_and_validate(
        headers=request.node.auth, checks=[not_a_server_error, response_schema_conformance]
    )


def operator_header() -> dict:
    token = issue_operator_token(Operator("op-1", "Olive Operator"), secret=support.SECRET)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def operator_schema(tmp_path, request):
    """The operator's routes with a suspended shop beside an open one, and the record of the
    suspension in the audit log."""
    service = build_service(f"sqlite:///{tmp_path / 'shops.db'}")
    request.addfinalizer(service.runtime.engine.dispose)
    service.open_shop(make_seller())
    shop = service.open_shop(make_seller())
    suspended = service.client.post(
        f"/operator/shops/{shop['id']}/suspend",
        json={"reason": "Sells counterfeit goods."},
        headers=operator_header(),
    )
    assert suspended.status_code == 200, suspended.get_json()
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
