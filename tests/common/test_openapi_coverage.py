"""Every route a service registers is in its OpenAPI document, so none is left undescribed
(and so unchecked by the schemathesis run against that document)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.catalog.conftest import build_catalog
from tests.notifications.conftest import build_notifications
from tests.orders.conftest import build_service as build_orders
from tests.shops.conftest import build_service as build_shops

pytestmark = pytest.mark.integration

# What every service serves beside its API: probes, metrics, static files, and the documents
# themselves (with the public API's reference page).
NOT_API = {"static", "healthz", "readyz", "metrics"}
DOCUMENTS = re.compile(r"(^|/)openapi\.json$|^/api/v1/docs$")
# The shops service serves the public seller API, described in a document of its own.
PUBLIC = "/api/v1/"


def _shops(tmp_path: Path) -> FlaskClient:
    return build_shops(f"sqlite:///{tmp_path / 'shops.db'}").client


def _catalog(tmp_path: Path) -> FlaskClient:
    return build_catalog(f"sqlite:///{tmp_path / 'catalog.db'}", tmp_path).client


def _notifications(tmp_path: Path) -> FlaskClient:
    return build_notifications(f"sqlite:///{tmp_path / 'notifications.db'}").client


def _orders(tmp_path: Path) -> FlaskClient:
    return build_orders(f"sqlite:///{tmp_path / 'orders.db'}").client


SERVICES: dict[str, Callable[[Path], FlaskClient]] = {
    "shops": _shops,
    "catalog": _catalog,
    "notifications": _notifications,
    "orders": _orders,
}


def openapi_path(rule: str) -> str:
    """`/shops/<shop_id>/<any(logo, banner):which>` as OpenAPI writes it."""
    return re.sub(r"<(?:[^:<>]+:)?([^:<>]+)>", r"{\1}", rule)


def undescribed(client: FlaskClient) -> list[str]:
    documents = {"": client.get("/openapi.json").get_json()["paths"]}
    public = client.get(PUBLIC + "openapi.json")
    if public.status_code == 200:
        documents[PUBLIC] = public.get_json()["paths"]
    missing = []
    for rule in client.application.url_map.iter_rules():
        if rule.endpoint in NOT_API or DOCUMENTS.search(rule.rule):
            continue
        paths = documents[PUBLIC if rule.rule.startswith(PUBLIC) else ""]
        described = paths.get(openapi_path(rule.rule), {})
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if method.lower() not in described:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    return missing


def test_openapi_path_names_each_parameter_as_openapi_does():
    assert openapi_path("/shops/<shop_id>/<any(logo, banner):which>") == "/shops/{shop_id}/{which}"
    assert openapi_path("/photos/<path:name>") == "/photos/{name}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_route_of_the_service_is_in_its_openapi_document(service, tmp_path):
    client = SERVICES[service](tmp_path)
    try:
        missing = undescribed(client)
    finally:
        runtime = client.application.extensions["runtime"]
        runtime.engine.dispose()
        if index := getattr(runtime, "search_index", None):
            index.close()
    assert not missing, (
        f"{service}: describe these routes with services.common.openapi.describe: {missing}"
    )
