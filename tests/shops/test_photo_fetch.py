"""Photos named by address in an inventory file: fetched by the worker from a local HTTP
server, added to their listings, or reported on their line."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.common.photo_store import FilesystemPhotoStore
from services.shops.app import create_app
from services.shops.photos.fetch import FetchFailed, PhotoFetcher, http_fetcher
from tests.shops.conftest import ShopsService, build_service, make_seller
from tests.shops.photo_files import png

PHOTO = png((400, 300), colour=(10, 90, 160))
TIMEOUT = 0.5


class Files(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path == "/slow.png":
            time.sleep(TIMEOUT * 4)
        body = {
            "/cover.png": PHOTO,
            "/slow.png": PHOTO,
            "/big.png": PHOTO + b"\0" * 5000,
            "/notes.txt": b"just words",
        }.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def files() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def store(tmp_path) -> FilesystemPhotoStore:
    return FilesystemPhotoStore(tmp_path / "photos")


@pytest.fixture
def shops(sqlite_url, store) -> ShopsService:
    service = build_service(sqlite_url)
    service.client = create_app(service.runtime, photos=store).test_client()
    return service


def fetch_all(shops: ShopsService, store, *, cap: int = 10_000_000) -> None:
    fetch = http_fetcher(timeout=TIMEOUT, allow_private=True, cap=cap)
    fetcher = PhotoFetcher(shops.runtime.session_factory, store, fetch)
    while fetcher.run():
        pass


def test_photos_by_address_are_fetched_and_bad_ones_reported_on_their_line(shops, store, files):
    seller = make_seller()
    shop = shops.open_shop(seller)
    text = (
        "sku,title,price,photos\n"
        f"A-1,Emma,4.50,{files}/cover.png\n"
        f"A-2,Persuasion,5.00,{files}/missing.png\n"
        f"A-3,Sanditon,6.00,{files}/slow.png {files}/notes.txt\n"
        f"A-4,Lady Susan,3.00,{files}/big.png\n"
    )
    job = shops.upload(seller, shop["id"], text)

    fetch_all(shops, store, cap=len(PHOTO) + 1000)

    listings = shops.client.get(f"/shops/{shop['id']}/listings", headers=seller.headers())
    by_sku = {item["sku"]: item for item in listings.get_json()["listings"]}
    assert len(by_sku["A-1"]["images"]) == 1
    assert by_sku["A-1"]["images"][0]["sizes"]["thumb"] == {"width": 320, "height": 240}
    assert all(by_sku[sku]["images"] == [] for sku in ("A-2", "A-3", "A-4"))
    job = shops.client.get(
        f"/shops/{shop['id']}/uploads/{job['id']}", headers=seller.headers()
    ).get_json()
    reasons = {(error["line"], error["reason"].split(": ", 1)[1]) for error in job["errors"]}
    assert reasons == {
        (3, "the address answered HTTP 404"),
        (4, f"the address did not answer within {TIMEOUT:g} seconds"),
        (4, "this file is not a picture we can read; send a JPEG, PNG, WebP or GIF photo"),
        (5, f"the photo is larger than {(len(PHOTO) + 1000) // 1024} KB"),
    }
    assert shops.outbox("listing.upserted")[-1]["images"][0]["key"]


def test_the_same_file_again_fetches_nothing_twice(shops, store, files):
    seller = make_seller()
    shop = shops.open_shop(seller)
    text = f"sku,title,price,photos\nA-1,Emma,4.50,{files}/cover.png\n"
    shops.upload(seller, shop["id"], text)
    fetch_all(shops, store)

    shops.upload(seller, shop["id"], text.replace("4.50", "4.00"))
    fetch_all(shops, store)

    [listing] = shops.client.get(
        f"/shops/{shop['id']}/listings", headers=seller.headers()
    ).get_json()["listings"]
    assert listing["price"]["amount"] == 400
    assert len(listing["images"]) == 1


def test_addresses_of_this_machine_are_refused_outside_development():
    fetch = http_fetcher(timeout=1.0, allow_private=False)
    with pytest.raises(FetchFailed, match="not on the public internet"):
        fetch("http://127.0.0.1:8001/shops")
    with pytest.raises(FetchFailed, match="not on the public internet"):
        fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchFailed, match="is unknown"):
        fetch("http://no-such-host.invalid/photo.jpg")
