"""A listing's photos through the shops API: upload, arrange, remove, keep, delete."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from services.common.photo_store import FilesystemPhotoStore
from services.shops.app import create_app
from services.shops.photos.processing import file_names
from tests.s3_server import s3_endpoint, s3_store  # noqa: F401 - s3_endpoint is a fixture
from tests.shops.conftest import ShopsService, build_service, make_seller
from tests.shops.photo_files import jpeg_with_gps, png, png_claiming


@pytest.fixture
def store(tmp_path) -> FilesystemPhotoStore:
    return FilesystemPhotoStore(tmp_path / "photos")


@pytest.fixture
def shops(database_url, store) -> ShopsService:
    service = build_service(database_url)
    service.client = create_app(service.runtime, photos=store).test_client()
    return service


@pytest.fixture
def seller():
    return make_seller()


@pytest.fixture
def listing(shops, seller) -> dict[str, Any]:
    shop = shops.open_shop(seller)
    return shops.add_listing(seller, shop["id"])


def url(listing: dict[str, Any], tail: str = "") -> str:
    return f"/shops/{listing['shop_id']}/listings/{listing['id']}/photos{tail}"


def upload(shops, seller, listing, *files: tuple[str, bytes], alt: list[str] | None = None):
    data: dict[str, Any] = {"photos": [(io.BytesIO(body), name) for name, body in files]}
    if alt:
        data["alt"] = alt
    return shops.client.post(
        url(listing), data=data, headers=seller.headers(), content_type="multipart/form-data"
    )


def stored_files(store: FilesystemPhotoStore) -> list[str]:
    return sorted(path.name for path in store.root.rglob("*") if path.is_file())


def three_photos() -> list[tuple[str, bytes]]:
    return [(f"p{n}.png", png(colour=(n * 40, 10, 10))) for n in (1, 2, 3)]


def test_upload_several_photos_stores_their_sizes_and_announces_them(shops, seller, listing, store):
    response = upload(shops, seller, listing, *three_photos(), alt=["Front", "Spine", "Back"])

    assert response.status_code == 201, response.get_json()
    images = response.get_json()["images"]
    assert [image["alt"] for image in images] == ["Front", "Spine", "Back"]
    assert images[0]["sizes"]["thumb"] == {"width": 300, "height": 200}
    assert len(stored_files(store)) == 3 * 6
    event = shops.outbox("listing.upserted")[-1]
    assert [image["key"] for image in event["images"]] == [image["key"] for image in images]
    served = shops.client.get(f"/photos/{images[0]['key']}-thumb.webp")
    assert served.status_code == 200
    assert served.mimetype == "image/webp"
    assert "immutable" in served.headers["Cache-Control"]


def test_a_jpeg_with_gps_is_stored_with_no_exif_at_all(shops, seller, listing, store):
    response = upload(shops, seller, listing, ("shelf.jpg", jpeg_with_gps()))

    key = response.get_json()["images"][0]["key"]
    for name in file_names(key):
        assert not Image.open(io.BytesIO(store.get(name))).getexif(), name


def test_a_png_named_jpg_is_read_as_a_png(shops, seller, listing):
    response = upload(shops, seller, listing, ("cover.jpg", png()))

    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (png_claiming(50_000, 50_000), "too large"),
        (b"%PDF-1.7 an invoice, not a photo", "not a picture we can read"),
    ],
)
def test_a_bomb_or_a_non_picture_is_refused_and_nothing_is_stored(
    shops, seller, listing, store, body, message
):
    response = upload(shops, seller, listing, ("good.png", png()), ("bad.jpg", body))

    assert response.status_code == 422
    assert response.get_json()["error"].startswith("bad.jpg: ")
    assert message in response.get_json()["error"]
    assert stored_files(store) == []
    assert (
        shops.client.get(
            f"/shops/{listing['shop_id']}/listings", headers=seller.headers()
        ).get_json()["listings"][0]["images"]
        == []
    )


def test_at_most_ten_photos(shops, seller, listing, store):
    files = [(f"{n}.png", png(colour=(n, n, n))) for n in range(11)]

    response = upload(shops, seller, listing, *files)

    assert response.status_code == 422
    assert "at most 10 photos" in response.get_json()["error"]
    assert stored_files(store) == []


def test_a_description_with_a_control_character_is_refused_and_nothing_is_stored(
    shops, seller, listing, store
):
    response = upload(shops, seller, listing, ("p.png", png()), alt=["The spine\x00"])

    assert response.status_code == 422
    assert "NUL" in response.get_json()["fields"]["alt"]
    assert stored_files(store) == []
    keys = [i["key"] for i in upload(shops, seller, listing, ("p.png", png())).get_json()["images"]]
    arranged = shops.client.patch(
        url(listing), json={"alt": {keys[0]: "esc\x1b[2J"}}, headers=seller.headers()
    )
    assert arranged.status_code == 422
    assert "control character" in arranged.get_json()["error"]


def test_reorder_set_the_cover_and_describe_photos(shops, seller, listing):
    keys = [i["key"] for i in upload(shops, seller, listing, *three_photos()).get_json()["images"]]

    reordered = shops.client.patch(
        url(listing), json={"order": [keys[2], keys[0], keys[1]]}, headers=seller.headers()
    )
    covered = shops.client.patch(
        url(listing),
        json={"cover": keys[1], "alt": {keys[1]: "  The  spine "}},
        headers=seller.headers(),
    )

    assert [i["key"] for i in reordered.get_json()["images"]] == [keys[2], keys[0], keys[1]]
    images = covered.get_json()["images"]
    assert [i["key"] for i in images] == [keys[1], keys[2], keys[0]]
    assert images[0]["alt"] == "The spine"
    incomplete = shops.client.patch(
        url(listing), json={"order": keys[:2]}, headers=seller.headers()
    )
    assert incomplete.status_code == 422


def test_photos_survive_an_edit_of_the_price(shops, seller, listing):
    images = upload(shops, seller, listing, *three_photos()).get_json()["images"]

    response = shops.client.patch(
        f"/shops/{listing['shop_id']}/listings/{listing['id']}",
        json={"price": {"amount": 990}},
        headers=seller.headers(),
    )

    assert response.get_json()["price"]["amount"] == 990
    assert response.get_json()["images"] == images
    assert shops.outbox("listing.upserted")[-1]["images"] == images


def test_removing_a_photo_deletes_its_files(shops, seller, listing, store):
    keys = [i["key"] for i in upload(shops, seller, listing, *three_photos()).get_json()["images"]]

    response = shops.client.delete(url(listing, f"/{keys[0]}"), headers=seller.headers())

    assert [i["key"] for i in response.get_json()["images"]] == keys[1:]
    assert not any(store.exists(name) for name in file_names(keys[0]))
    assert all(store.exists(name) for name in file_names(keys[1]))


def test_a_deleted_listings_files_are_gone_but_a_shared_photo_stays(shops, seller, listing, store):
    other = shops.add_listing(seller, listing["shop_id"], title="Baudolino")
    shared = ("shared.png", png(colour=(1, 2, 3)))
    upload(shops, seller, listing, *three_photos(), shared)
    upload(shops, seller, other, shared)

    response = shops.client.delete(
        f"/shops/{listing['shop_id']}/listings/{listing['id']}", headers=seller.headers()
    )

    assert response.status_code == 204
    assert len(stored_files(store)) == 6  # only the photo the other listing shows
    assert shops.client.get(f"/listings/{other['id']}").get_json()["images"][0]["key"]


def test_a_stranger_can_neither_upload_nor_arrange(shops, listing, store):
    stranger = make_seller("Mallory")

    upload_response = upload(shops, stranger, listing, ("x.png", png()))
    arrange_response = shops.client.patch(url(listing), json={}, headers=stranger.headers())

    assert upload_response.status_code == 404
    assert arrange_response.status_code == 404
    assert stored_files(store) == []


@pytest.mark.parametrize("name", ["../shops.db", "x.webp", "0123456789abcdef0123-thumb.webp"])
def test_a_photo_file_that_is_not_there_is_a_404(shops, name):
    assert shops.client.get(f"/photos/{name}").status_code == 404


def test_the_owner_sets_a_logo_and_banner_and_the_shop_announces_them(shops, seller, store):
    shop = shops.open_shop(seller, name="Pages & Presses")

    logo = shops.client.put(
        f"/shops/{shop['id']}/logo",
        data={"image": (io.BytesIO(png((200, 200))), "logo.png")},
        headers=seller.headers(),
        content_type="multipart/form-data",
    )
    banner = shops.client.put(
        f"/shops/{shop['id']}/banner",
        data={"image": (io.BytesIO(jpeg_with_gps(size=(1800, 400))), "banner.jpg")},
        headers=seller.headers(),
        content_type="multipart/form-data",
    )

    assert logo.status_code == banner.status_code == 200, logo.get_json()
    assert banner.get_json()["banner"]["sizes"]["large"] == {"width": 1600, "height": 356}
    event = shops.outbox("shop.updated")[-1]
    assert event["logo"]["key"] == logo.get_json()["logo"]["key"]
    assert event["banner"]["alt"] == "Pages & Presses"
    old = logo.get_json()["logo"]["key"]

    removed = shops.client.delete(f"/shops/{shop['id']}/logo", headers=seller.headers())

    assert removed.get_json()["logo"] is None
    assert not any(store.exists(name) for name in file_names(old))


def test_staff_cannot_change_the_logo_and_a_non_picture_is_refused(shops, seller, store):
    from tests.shops.conftest import add_staff

    shop = shops.open_shop(seller)
    staff = add_staff(shops, seller, shop["id"])

    by_staff = shops.client.put(
        f"/shops/{shop['id']}/logo",
        data={"image": (io.BytesIO(png()), "logo.png")},
        headers=staff.headers(),
        content_type="multipart/form-data",
    )
    not_a_picture = shops.client.put(
        f"/shops/{shop['id']}/logo",
        data={"image": (io.BytesIO(b"<svg/>"), "logo.svg")},
        headers=seller.headers(),
        content_type="multipart/form-data",
    )

    assert by_staff.status_code == 403
    assert not_a_picture.status_code == 422
    assert "logo.svg: this file is not a picture" in not_a_picture.get_json()["error"]
    assert stored_files(store) == []


def test_photos_survive_an_inventory_file_that_changes_the_listing(shops, seller):
    shop = shops.open_shop(seller)
    listing = shops.add_listing(seller, shop["id"], sku="R-1")
    images = upload(shops, seller, listing, *three_photos()).get_json()["images"]

    shops.upload(seller, shop["id"], "sku,title,price,quantity\nR-1,The Rose,9.90,4\n")

    stored = shops.client.get(f"/listings/{listing['id']}").get_json()
    assert (stored["title"], stored["price"]["amount"]) == ("The Rose", 990)
    assert stored["images"] == images
    # The file says nothing of photos: its event leaves them as the catalog has them.
    assert shops.outbox("listing.batch_upserted")[-1]["listings"][0]["images"] is None


def test_with_s3_photos_are_stored_served_and_deleted_with_their_listing(
    sqlite_url, request, monkeypatch
):
    bucket = s3_store(request.getfixturevalue("s3_endpoint"), monkeypatch)
    service = build_service(sqlite_url)
    service.client = create_app(service.runtime, photos=bucket).test_client()
    seller = make_seller()
    listing = service.add_listing(seller, service.open_shop(seller)["id"])

    response = upload(service, seller, listing, ("shelf.jpg", jpeg_with_gps()))
    key = response.get_json()["images"][0]["key"]
    served = service.client.get(f"/photos/{key}-medium.webp")
    stored = bucket.client.head_object(Bucket=bucket.bucket, Key=f"photos/{key}-large.jpg")
    service.client.delete(
        f"/shops/{listing['shop_id']}/listings/{listing['id']}", headers=seller.headers()
    )

    assert served.status_code == 200 and served.data[:4] == b"RIFF"
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    assert stored["ContentType"] == "image/jpeg"
    assert not any(bucket.exists(name) for name in file_names(key))
