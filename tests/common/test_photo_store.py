"""One contract for every photo store: the filesystem, and S3 through moto's HTTP server."""

from __future__ import annotations

import pytest

from services.common.photo_store import (
    FilesystemPhotoStore,
    MissingPhoto,
    PhotoSettings,
    PhotoStore,
    photo_store,
)
from tests.s3_server import s3_endpoint, s3_store  # noqa: F401 - s3_endpoint is a fixture

NAME = "0123456789abcdef0123456789abcdef-thumb.webp"
OTHER = "fedcba9876543210fedcba9876543210-large.jpg"


@pytest.fixture(params=["filesystem", "s3"])
def store(request, tmp_path, monkeypatch) -> PhotoStore:
    if request.param == "filesystem":
        return photo_store(PhotoSettings(store="filesystem", data_dir=tmp_path))
    return s3_store(request.getfixturevalue("s3_endpoint"), monkeypatch)


def test_put_then_get_returns_the_same_bytes(store):
    store.put(NAME, b"RIFF....WEBP", content_type="image/webp")

    assert store.get(NAME) == b"RIFF....WEBP"
    assert store.exists(NAME)
    assert not store.exists(OTHER)


def test_put_again_replaces_the_file(store):
    store.put(NAME, b"first", content_type="image/webp")
    store.put(NAME, b"second", content_type="image/webp")

    assert store.get(NAME) == b"second"


def test_get_of_a_missing_file_raises_missing_photo(store):
    with pytest.raises(MissingPhoto):
        store.get(OTHER)


def test_delete_removes_the_file_and_may_be_repeated(store):
    store.put(NAME, b"x", content_type="image/webp")
    store.put(OTHER, b"y", content_type="image/jpeg")

    store.delete(NAME)
    store.delete(NAME)

    assert not store.exists(NAME)
    assert store.get(OTHER) == b"y"


@pytest.mark.parametrize("name", ["../../etc/passwd", "a.webp", "", "0123456789abcdef/x.jpg"])
def test_a_name_that_is_not_a_photo_name_is_refused(store, name):
    with pytest.raises(MissingPhoto):
        store.put(name, b"x", content_type="image/webp")
    with pytest.raises(MissingPhoto):
        store.get(name)
    assert not store.exists(name)


def test_the_filesystem_store_keeps_files_under_data_dir(tmp_path):
    store = photo_store(PhotoSettings(store="filesystem", data_dir=tmp_path))
    store.put(NAME, b"x", content_type="image/webp")

    assert isinstance(store, FilesystemPhotoStore)
    assert (tmp_path / "photos" / NAME[:2] / NAME).read_bytes() == b"x"
    assert not list((tmp_path / "photos").rglob(".tmp-*"))
