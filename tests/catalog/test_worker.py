"""The catalog worker on the real broker: events in, searchable listings out."""

from __future__ import annotations

import pytest

from services.catalog.worker import build
from services.common.contracts import Event, encode, wrap
from services.common.messaging.topology import Topology
from tests import support
from tests.catalog.conftest import build_catalog
from tests.catalog.factories import listing_upserted

pytestmark = pytest.mark.integration


@pytest.fixture
def catalog(sqlite_url, tmp_path, amqp_prefix):
    built = build_catalog(sqlite_url, tmp_path, amqp_prefix)
    yield built
    built.runtime.engine.dispose()
    built.runtime.search_index.close()


def publish(prefix: str, *messages: tuple[bytes, str]) -> None:
    """Publish raw bodies to the event exchange, as another service's relay would."""
    support.publish(Topology(prefix=prefix), *((key, body) for body, key in messages))


def as_message(event: Event) -> tuple[bytes, str]:
    return encode(wrap(event)), event.routing_key()


def test_worker_indexes_published_listings(catalog, amqp_prefix):
    hobbit = listing_upserted(title="The Hobbit")
    publish(
        amqp_prefix,
        as_message(hobbit),
        as_message(listing_upserted(title="Dune", author="Frank Herbert")),
        as_message(hobbit.model_copy(update={"title": "The Hobbit, signed", "revision": 2})),
    )

    with support.running(build(catalog.runtime)):
        support.wait_for(lambda: catalog.search()["total"] == 2)
        support.wait_for(lambda: catalog.titles("hob") == ["The Hobbit, signed"])

    detail = catalog.client.get(f"/listings/{hobbit.listing_id}").get_json()
    assert detail["title"] == "The Hobbit, signed"
    assert catalog.titles("herbert") == ["Dune"]


def test_worker_dead_letters_malformed_message_and_goes_on(catalog, amqp_prefix):
    topology = Topology(prefix=amqp_prefix)
    publish(
        amqp_prefix,
        (b"not json", "listing.upserted"),
        as_message(listing_upserted(title="The Hobbit")),
    )

    with support.running(build(catalog.runtime)):
        support.wait_for(lambda: catalog.titles("hobbit") == ["The Hobbit"])
        support.wait_for(lambda: support.queue_depth(topology.dead_letter_queue("catalog")) == 1)

    assert support.queue_depth(topology.queue("catalog")) == 0
