"""Every worker of the running storefront answers its probes and serves its metrics."""

from __future__ import annotations

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.system import WORKERS

pytestmark = pytest.mark.e2e


def test_every_worker_answers_healthz_readyz_and_metrics(system):
    for worker in WORKERS:
        base = system.url(worker)
        service = worker.removesuffix("-worker")
        assert requests.get(base + "/healthz", timeout=5).json()["status"] == "ok"
        ready = requests.get(base + "/readyz", timeout=5)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"connected": True, "consuming": True, "relay_alive": True}
        families = text_string_to_metric_families(requests.get(base + "/metrics", timeout=5).text)
        samples = {
            (sample.name, sample.labels.get("service"))
            for family in families
            for sample in family.samples
        }
        for name in ("worker_outbox_backlog", "worker_outbox_oldest_seconds"):
            assert (name, service) in samples, f"{worker}: no {name}"
        assert ("worker_broker_connected", service) in samples
