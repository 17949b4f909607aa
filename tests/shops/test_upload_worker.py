"""An upload applied by the real worker on the real broker, and the command-line client."""

from __future__ import annotations

import io
import json

import pika
import pytest

from services.common.messaging.worker import connection_parameters
from services.shops.cli import upload as upload_cli
from services.shops.db import Listing, UploadJob
from services.shops.worker import build
from tests import support
from tests.shops.conftest import build_service
from tests.support import serving

pytestmark = pytest.mark.integration
ROWS = 1200


def inventory(rows: int = ROWS) -> str:
    lines = "".join(f"W-{n:05d},Book number {n},{n % 90 + 3}.50,1\n" for n in range(rows))
    return "sku,title,price,quantity\n" + lines


@pytest.fixture
def shops_on_broker(database_url, amqp_prefix):
    service = build_service(database_url, amqp_prefix=amqp_prefix)
    yield service
    service.runtime.engine.dispose()


def catalog_messages(service) -> list[dict]:
    """Drain what reached the catalog's queue: the events the relay published."""
    connection = pika.BlockingConnection(connection_parameters(support.AMQP_URL))
    bodies = []
    try:
        channel = connection.channel()
        queue = service.runtime.topology.queue("catalog")
        while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
            bodies.append(json.loads(message[2]))
    finally:
        connection.close()
    return bodies


def test_worker_applies_an_upload_in_batches_it_publishes(shops_on_broker, seller):
    service = shops_on_broker
    shop = service.open_shop(seller)
    response = service.client.post(
        f"/shops/{shop['id']}/uploads",
        data={"file": (io.BytesIO(inventory().encode()), "stock.csv")},
        headers=seller.headers(),
    )
    job_id = response.get_json()["id"]

    with support.running(build(service.runtime)):
        support.wait_for(lambda: service.get(UploadJob, job_id).status == "done")
        support.wait_for(
            lambda: support.queue_depth(service.runtime.topology.queue("catalog")) >= 3
        )

    assert service.count(Listing) == ROWS
    batches = [m for m in catalog_messages(service) if m["type"] == "listing.batch_upserted"]
    assert [len(batch["payload"]["listings"]) for batch in batches] == [1000, 200]


def test_upload_command_sends_the_file_and_follows_it_to_the_end(
    shops_on_broker, seller, tmp_path, monkeypatch, capsys
):
    service = shops_on_broker
    shop = service.open_shop(seller)
    path = tmp_path / "stock.csv"
    path.write_text(inventory(300) + "W-X,,3.00,1\n")
    monkeypatch.setenv("SERVICE_TOKEN_SECRET", support.SECRET)

    with serving(service.client.application) as url, support.running(build(service.runtime)):
        code = upload_cli.main(
            ["--shop", shop["id"], "--user", seller.user_id, "--url", url, str(path)]
        )

    captured = capsys.readouterr()
    assert code == 0
    assert "300 created, 0 updated, 0 unchanged, 1 rejected" in captured.out
    assert "line 302, title: the title must not be blank" in captured.out
    assert "100% 301/301 rows" in captured.err
    assert service.count(Listing) == 300
