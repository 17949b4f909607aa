"""A real HTTP S3 endpoint for tests: moto's server in a thread, one per test module."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from services.common.photo_store import PhotoSettings, S3PhotoStore, photo_store


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_store(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3PhotoStore:
    """A store on a new bucket of `endpoint` (moto takes any credentials)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings = PhotoSettings(
        store="s3", s3_endpoint_url=endpoint, s3_bucket="photos-" + uuid.uuid4().hex[:12]
    )
    store = photo_store(settings)
    assert isinstance(store, S3PhotoStore)
    store.client.create_bucket(Bucket=settings.s3_bucket)
    return store
