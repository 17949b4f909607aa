"""The catalog's OpenAPI document, checked against the catalog itself with schemathesis."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import support
from tests.catalog.conftest import build_catalog
from tests.catalog.factories import listing_upserted

pytestmark = pytest.mark.integration

EXAMPLES = 8  # per operation: the whole run stays within seconds
# Signed in, so the want list's routes are reached beyond their 401; the rest are public.
SHOPPER = support.FreshAuthHeader("ada", "Ada")


@pytest.fixture
def catalog_schema(tmp_path, request):
    catalog = build_catalog(f"sqlite:///{tmp_path / 'catalog.db'}", tmp_path)
    request.addfinalizer(catalog.runtime.search_index.close)
    request.addfinalizer(catalog.runtime.engine.dispose)
    catalog.deliver(listing_upserted(title="The Name of the Rose"))
    wanted = catalog.client.post("/wants", json={"words": "rose"}, headers=dict(SHOPPER))
    assert wanted.status_code == 201, wanted.get_json()
    return schemathesis.openapi.from_wsgi("/openapi.json", catalog.client.application)


schema = schemathesis.pytest.from_fixture("catalog_schema")


def test_the_document_is_openapi_3_1_and_names_the_read_api(catalog):
    document = catalog.client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert {"/search", "/listings/{listing_id}", "/works/{work_id}/offers"} <= set(
        document["paths"]
    )


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_catalog_keeps_its_document(case):
    case.call_and_validate(
        headers=dict(SHOPPER), checks=[not_a_server_error, response_schema_conformance]
    )
