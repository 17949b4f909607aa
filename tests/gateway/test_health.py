"""Health, readiness and metrics of the gateway."""

from __future__ import annotations

from flask import Flask


def test_healthz_answers_without_services(app: Flask):
    assert app.test_client().get("/healthz").json["status"] == "ok"


def test_readyz_checks_the_database_only(app: Flask):
    response = app.test_client().get("/readyz")

    # The services are down in this fixture, and readiness does not depend on them.
    assert response.status_code == 200
    assert response.json["status"] == "ready"


def test_metrics_counts_requests(app: Flask):
    client = app.test_client()
    client.get("/healthz")

    body = client.get("/metrics").get_data(as_text=True)

    assert 'http_requests_total{endpoint="healthz",method="GET",service="gateway"' in body
