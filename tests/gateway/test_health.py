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


METRICS_TOKEN = "scraper-token-0123456789"


def test_metrics_counts_requests_for_the_scraper(make_gateway):
    client = make_gateway(metrics_token=METRICS_TOKEN).test_client()
    client.get("/healthz")

    body = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).get_data(
        as_text=True
    )

    assert 'http_requests_total{endpoint="healthz",method="GET",service="gateway"' in body


def test_metrics_are_not_served_to_the_public(make_gateway, app: Flask):
    client = make_gateway(metrics_token=METRICS_TOKEN).test_client()

    anonymous = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    # Without a token configured, the gateway serves no metrics at all.
    unset = app.test_client().get("/metrics", headers={"Authorization": "Bearer "})

    for response in (anonymous, wrong, unset):
        assert response.status_code == 404
        assert "http_requests_total" not in response.get_data(as_text=True)
