"""The shops worker as an operator sees it: /healthz, /readyz and /metrics on its own port,
and one WARNING line per failed connection attempt, while the broker is down.

The shared broker is never stopped: the worker's AMQP_URL points at a port where nothing
listens, which to a client is what a broker that is down looks like.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from services.common.runtime import serve
from services.shops import worker as shops_worker
from tests import support
from tests.e2e.system import REPO, free_port
from tests.shops.conftest import build_service, unsent

pytestmark = pytest.mark.integration


def metric(text: str, name: str, **labels: str) -> float | None:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return None


@pytest.fixture
def worker_without_broker(database_url, tmp_path):
    service = build_service(database_url, amqp_prefix="unreachable")
    port = free_port()
    nowhere = f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F"
    env = {
        **os.environ,
        "SHOPS_DATABASE_URL": service.runtime.settings.resolved_database_url(),
        "AMQP_URL": nowhere,
        "AMQP_PREFIX": "unreachable",
        "SERVICE_TOKEN_SECRET": support.SECRET,
        "SHOPS_WORKER_PORT": str(port),
        "LOG_LEVEL": "INFO",
    }
    stderr = open(tmp_path / "worker.log", "w+b")
    process = subprocess.Popen(
        [sys.executable, "-m", "services.shops.worker"], cwd=REPO, env=env, stderr=stderr
    )
    yield service, f"http://127.0.0.1:{port}", tmp_path / "worker.log"
    process.terminate()
    process.wait(timeout=30)
    stderr.close()
    service.runtime.engine.dispose()


def get(url: str) -> requests.Response | None:
    try:
        return requests.get(url, timeout=2)
    except requests.RequestException:
        return None


def test_the_outbox_backlog_is_read_from_metrics_while_the_broker_is_down(
    worker_without_broker, seller
):
    service, base, _log = worker_without_broker
    shop = service.open_shop(seller)  # stages shop.updated events in the outbox
    service.add_listing(seller, shop["id"])
    staged = len(service.outbox())
    assert staged >= 2

    support.wait_for(lambda: get(base + "/healthz"), timeout=30)
    text = get(base + "/metrics").text
    assert metric(text, "worker_outbox_backlog", service="shops") == staged
    assert metric(text, "worker_outbox_oldest_seconds", service="shops") >= 0
    assert metric(text, "worker_parked_messages", service="shops", reason="parked") == 0
    assert metric(text, "worker_broker_connected", service="shops") == 0

    assert get(base + "/healthz").status_code == 200
    readiness = get(base + "/readyz")
    assert readiness.status_code == 503
    assert readiness.json()["checks"]["connected"] is False


def test_each_failed_connection_attempt_is_one_warning_with_the_time_to_the_next(
    worker_without_broker,
):
    _service, base, log = worker_without_broker
    support.wait_for(lambda: get(base + "/healthz"), timeout=30)
    time.sleep(4)  # attempts at about 0, 0.5, 1.5 and 3.5 seconds
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    attempts = [line for line in lines if line["message"].startswith("broker unreachable")]
    assert len(attempts) >= 3
    assert [line["retry_in_seconds"] for line in attempts[:3]] == [0.5, 1.0, 2.0]
    assert attempts[1]["message"] == "broker unreachable; next attempt in 1.0 s"
    assert {line["level"] for line in attempts} == {"WARNING"}
    # Nothing else per attempt: pika's own errors are muted.
    assert [line for line in lines if line["level"] in ("ERROR", "CRITICAL")] == []
    assert [line for line in lines if line["name"].startswith("pika")] == []


def test_a_worker_whose_port_is_taken_still_applies_its_messages(shops_on_broker, seller):
    """Messages matter more than probes: the worker logs the taken port and goes on."""
    service = shops_on_broker
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        service.runtime.settings.worker_port = taken.getsockname()[1]
        worker = shops_worker.build(service.runtime)
        thread = threading.Thread(target=serve, args=(service.runtime, worker), daemon=True)
        thread.start()
        try:
            service.open_shop(seller)  # an event for the relay to send
            support.wait_for(lambda: worker.connected and unsent(service) == 0)
        finally:
            worker.stop()
            thread.join(timeout=10)
    assert worker.health is None
