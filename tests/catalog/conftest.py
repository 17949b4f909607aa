"""Catalog fixtures: a search index per adapter, and the whole service on a real database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import services.catalog
from services.catalog.app import create_app
from services.catalog.bootstrap import CatalogRuntime, bootstrap
from services.catalog.config import Settings
from services.catalog.db import InboxMessage
from services.catalog.handlers import CatalogHandlers
from services.catalog.search.embedded import EmbeddedSearchIndex
from services.catalog.search.port import SearchIndex
from services.common.contracts import Event, wrap
from services.common.messaging.consumer import Consumer
from tests import support

MIGRATIONS = Path(services.catalog.__file__).parent / "migrations"


# Every adapter of the SearchIndex port runs the same contract tests: the embedded one
# always, Meilisearch whenever MEILI_URL points at a server (each test on an index of its own).
@pytest.fixture(params=["embedded", "meilisearch"])
def search_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    if request.param == "embedded":
        index: SearchIndex = EmbeddedSearchIndex(tmp_path / "catalog-index.sqlite")
        yield index
        index.close()
        return
    url = os.environ.get("MEILI_URL")
    if not url:
        pytest.skip("MEILI_URL not set: no Meilisearch server here")
    from services.catalog.search.meili import MeiliSearchIndex

    meili = MeiliSearchIndex(
        url, api_key=os.environ.get("MEILI_MASTER_KEY"), index_uid=f"test-{uuid.uuid4().hex}"
    )
    yield meili
    meili.client.delete_index(meili.uid)


@dataclass
class Catalog:
    """The catalog service wired for one test, with a way to feed it events directly."""

    runtime: CatalogRuntime
    consumer: Consumer
    client: FlaskClient

    def deliver(self, event: Event, *, occurred_at: datetime | None = None) -> bool:
        """Apply one event as the worker would (inbox included); False for a duplicate."""
        envelope = wrap(event)
        if occurred_at is not None:
            envelope = envelope.model_copy(update={"occurred_at": occurred_at})
        return self.consumer.apply(envelope, event, self.consumer.handlers[type(event)])

    def search(self, q: str = "", **params) -> dict:
        response = self.client.get("/search", query_string={"q": q, **params})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def titles(self, q: str = "") -> list[str]:
        return [hit["title"] for hit in self.search(q)["hits"]]


def build_catalog(database_url: str, tmp_path: Path, amqp_prefix: str = "unused") -> Catalog:
    support.migrate(MIGRATIONS, database_url)
    settings = Settings(
        database_url=database_url,
        index_path=tmp_path / "catalog-index.sqlite",
        amqp_prefix=amqp_prefix,
        amqp_url=support.AMQP_URL,
        service_token_secret=support.SECRET,
    )
    runtime = bootstrap(settings)
    consumer = Consumer(
        name="catalog",
        queue=runtime.topology.queue("catalog"),
        session_factory=runtime.session_factory,
        inbox_model=InboxMessage,
        handlers=CatalogHandlers(runtime.search_index).handlers(),
    )
    return Catalog(runtime=runtime, consumer=consumer, client=create_app(runtime).test_client())


@pytest.fixture
def catalog(database_url: str, tmp_path: Path) -> Iterator[Catalog]:
    built = build_catalog(database_url, tmp_path)
    yield built
    built.runtime.engine.dispose()
    built.runtime.search_index.close()
