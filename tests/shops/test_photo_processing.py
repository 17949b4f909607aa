"""A seller's photo turned into the storefront's files: types, bombs, EXIF, sizes."""

from __future__ import annotations

import io
import math

import pytest
from PIL import Image, ImageChops, ImageStat

from services.shops.photos.processing import (
    SIZES,
    BadPhoto,
    file_names,
    process_photo,
)
from tests.shops.photo_files import GPS_IFD, detailed_jpeg, jpeg_with_gps, png, png_claiming


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_process_photo_drops_every_exif_field_gps_first():
    source = jpeg_with_gps()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)  # the test's premise

    photo = process_photo(source)

    assert len(photo.variants) == len(SIZES) * 2
    for variant in photo.variants:
        image = opened(variant.data)
        assert not image.getexif(), variant.size
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"ShelfCam" not in variant.data


def test_process_photo_turns_the_picture_as_its_exif_orientation_says():
    # Orientation 6: the camera was held on its side; shown turned 90 degrees clockwise.
    photo = process_photo(jpeg_with_gps(size=(640, 480), orientation=6))

    assert (photo.width, photo.height) == (480, 640)
    thumb = next(v for v in photo.variants if v.size == "thumb" and v.extension == "jpg")
    image = opened(thumb.data)
    assert image.height > image.width
    # The dark left half is now on top.
    assert sum(image.getpixel((image.width // 2, 5))) < sum(
        image.getpixel((image.width // 2, image.height - 5))
    )


def test_process_photo_reads_the_type_from_the_bytes_not_the_name():
    # What a file is called never reaches this code; a PNG is a PNG whatever its name.
    photo = process_photo(png())

    assert photo.source_format == "PNG"
    assert {v.extension for v in photo.variants} == {"webp", "jpg"}
    assert opened(photo.variants[0].data).format in ("WEBP", "JPEG")


def test_process_photo_makes_each_size_once_no_larger_than_the_original():
    photo = process_photo(jpeg_with_gps(size=(2400, 1800)))

    sizes = photo.sizes()
    assert sizes["large"] == {"width": 1600, "height": 1200}
    assert sizes["medium"] == {"width": 960, "height": 720}
    assert sizes["thumb"] == {"width": 320, "height": 240}
    small = process_photo(png((200, 100))).sizes()
    assert small["large"] == small["thumb"] == {"width": 200, "height": 100}


def test_process_photo_gives_a_placeholder_colour_and_a_stable_key():
    source = png(colour=(30, 120, 200))
    photo = process_photo(source)

    assert photo.colour == "#1e78c8"
    assert photo.key == process_photo(source).key
    assert photo.key != process_photo(png(colour=(0, 0, 0))).key
    assert len(file_names(photo.key)) == 6


def test_process_photo_refuses_a_decompression_bomb_before_decoding_it():
    with pytest.raises(BadPhoto, match="too large.*at most 50 megapixels"):
        process_photo(png_claiming(50_000, 50_000))


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 not a picture", b"name,price\nRose,12\n", b"\x89PNG\r\n\x1a\n broken"],
)
def test_process_photo_refuses_what_is_not_a_picture(data):
    with pytest.raises(BadPhoto, match="not a picture we can read"):
        process_photo(data)


def test_process_photo_refuses_an_empty_file():
    with pytest.raises(BadPhoto, match="empty"):
        process_photo(b"")


# How close each size must stay to the picture scaled down with Lanczos (peak signal to
# noise, dB), measured on a title page's fine print: where a faster but softer resize, or a
# cheaper encoder setting that loses detail, would show. Each is about half a dB below
# what the processing gives today.
FIDELITY_DB = {"large": 34.2, "medium": 35.2, "thumb": 36.0}


def test_process_photo_keeps_fine_detail_in_every_size_and_format():
    data = detailed_jpeg()
    source = opened(data).convert("RGB")

    photo = process_photo(data)

    for variant in photo.variants:
        reference = source.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        made = opened(variant.data).convert("RGB")
        assert _psnr(made, reference) >= FIDELITY_DB[variant.size], variant.size


def _psnr(made: Image.Image, reference: Image.Image) -> float:
    squares = ImageStat.Stat(ImageChops.difference(made, reference)).sum2
    mean = sum(squares) / (made.width * made.height * 3)
    return 10 * math.log10(255**2 / mean)
