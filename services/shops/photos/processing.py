"""A photo as a seller sends it, turned into the few files the storefront serves.

Pillow reads the type from the bytes (never from the file's name), refuses a decompression
bomb by its pixel count before decoding a single pixel, turns the picture upright as its
EXIF orientation says and writes every size without any metadata: a photo of a shelf must
not carry the shop's GPS position, camera serial or the seller's name.

No Flask, no storage here: bytes in, bytes out.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Bytes of one upload, and pixels of one picture: 50 megapixels is well above any phone
# or camera a shop uses (a 4000x3000 photo is 12) and far below what would exhaust memory.
BYTES_MAX = 25 * 1024 * 1024
PIXELS_MAX = 50_000_000
ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}

# The longest side of each size: a card's thumbnail, the listing page, the zoomed view.
SIZES = {"thumb": 320, "medium": 960, "large": 1600}
# WebP for browsers (all current ones), JPEG for the rest (and for mail clients).
FORMATS = {"webp": "image/webp", "jpg": "image/jpeg"}
QUALITY = 80
# WebP encoder effort (0-6) per size. Encoding is most of a photo's cost: the default (4)
# on the large size alone took longer than everything else together. Effort 0 makes the
# large and medium files about a fifth bigger than the default in a quarter of the time, at
# about the same fidelity to the picture (the quality setting decides that); a thumbnail is
# small enough to take the default, and it is the one every card loads.
WEBP_METHOD = {"large": 0, "medium": 0, "thumb": 4}
# A change of any setting above changes every name, so cached copies are never stale.
PROCESSING_VERSION = "2"


class BadPhoto(ValueError):
    """A file the storefront will not show, with a reason a seller can act on."""


@dataclass(frozen=True)
class Variant:
    size: str
    extension: str
    width: int
    height: int
    data: bytes

    @property
    def content_type(self) -> str:
        return FORMATS[self.extension]


@dataclass(frozen=True)
class ProcessedPhoto:
    """Every file of one photo, named by `key` (a hash of the bytes sent and the settings)."""

    key: str
    source_format: str
    width: int
    height: int
    # The picture's average colour (#rrggbb): painted where it will appear while it loads.
    colour: str
    variants: tuple[Variant, ...]

    def sizes(self) -> dict[str, dict[str, int]]:
        return {
            variant.size: {"width": variant.width, "height": variant.height}
            for variant in self.variants
            if variant.extension == "jpg"
        }


def file_name(key: str, size: str, extension: str) -> str:
    """The stored (and served) name of one file: content-addressed, so cacheable for ever."""
    return f"{key}-{size}.{extension}"


def file_names(key: str) -> list[str]:
    return [file_name(key, size, extension) for size in SIZES for extension in FORMATS]


def photo_key(data: bytes) -> str:
    digest = hashlib.sha256(PROCESSING_VERSION.encode() + b"\0" + data)
    return digest.hexdigest()[:32]


def process_photo(data: bytes) -> ProcessedPhoto:
    """The sizes of the photo in `data`, or BadPhoto saying why it cannot be one."""
    if not data:
        raise BadPhoto("the file is empty")
    if len(data) > BYTES_MAX:
        raise BadPhoto(f"the file is larger than {BYTES_MAX // (1024 * 1024)} MB")
    image = _open(data)
    source_format = image.format or ""
    upright = _upright(image)
    sized = _sizes(upright)
    return ProcessedPhoto(
        key=photo_key(data),
        source_format=source_format,
        width=upright.width,
        height=upright.height,
        # From the thumbnail: the whole picture's colour, in a fifth of the time.
        colour=_average_colour(sized[-1][1]),
        variants=tuple(
            Variant(
                size=size,
                extension=extension,
                width=picture.width,
                height=picture.height,
                data=_encode(picture, extension, size),
            )
            for size, picture in sized
            for extension in FORMATS
        ),
    )


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Our own cap below decides; Pillow's warning between its two limits is noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            # Reads the header only: the type from the magic bytes and the size.
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as error:
            raise BadPhoto(_too_many_pixels_message()) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise BadPhoto(
                "this file is not a picture we can read; send a JPEG, PNG, WebP or GIF photo"
            ) from error
    if image.format not in ACCEPTED:
        raise BadPhoto(
            f"this is a {image.format} file; send a JPEG, PNG, WebP or GIF photo instead"
        )
    width, height = image.size
    if width * height > PIXELS_MAX:
        raise BadPhoto(_too_many_pixels_message(width, height))
    if width < 1 or height < 1:
        raise BadPhoto("the picture has no pixels")
    return image


def _too_many_pixels_message(width: int = 0, height: int = 0) -> str:
    size = f" ({width} x {height} pixels)" if width else ""
    return (
        f"the picture is too large{size}: at most {PIXELS_MAX // 1_000_000} megapixels; "
        "make it smaller and send it again"
    )


def _upright(image: Image.Image) -> Image.Image:
    """The picture decoded, turned as its EXIF says, in RGB; no metadata goes further."""
    largest = SIZES["large"]
    scale = largest / max(image.size)
    if scale < 1 and image.format == "JPEG":
        # The JPEG decoder can scale by 1/2, 1/4 or 1/8 as it decodes (never below the size
        # asked): a 4000x3000 photo decodes at 2000x1500, four times less work.
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    try:
        image.load()
        # In place: the decoded picture is ours alone, and a copy of 3 megapixels is not free.
        ImageOps.exif_transpose(image, in_place=True)
        upright = image
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise BadPhoto("the picture is damaged or cut short; send it again") from error
    if upright.mode in ("RGBA", "LA", "P", "PA") and _has_alpha(upright):
        # Transparency shown on white, as a card's background is.
        background = Image.new("RGB", upright.size, (255, 255, 255))
        background.paste(upright.convert("RGBA"), mask=upright.convert("RGBA").getchannel("A"))
        return background
    return upright if upright.mode == "RGB" else upright.convert("RGB")


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _sizes(image: Image.Image) -> list[tuple[str, Image.Image]]:
    """Each size's picture, largest first, each made from the one before: cheaper than from
    the original."""
    sized = []
    current = image
    for size, longest in sorted(SIZES.items(), key=lambda item: -item[1]):
        current = _fit(current, longest)
        sized.append((size, current))
    return sized


def _fit(image: Image.Image, longest: int) -> Image.Image:
    if max(image.size) <= longest:
        return image
    scale = longest / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    # Bicubic from the size before, which is already smooth: as sharp as Lanczos to the eye
    # at a third less work; reducing_gap first halves by box sampling when it is far larger.
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)


def _encode(image: Image.Image, extension: str, size: str) -> bytes:
    out = io.BytesIO()
    # No exif=, icc_profile= or comment: Pillow writes none of the source's metadata then.
    if extension == "webp":
        image.save(out, "WEBP", quality=QUALITY, method=WEBP_METHOD[size])
    else:
        # Baseline, not progressive: the JPEG is the fallback of browsers without WebP (and
        # mail clients, which show the small sizes), and progressive doubled the large one's
        # encoding time for them.
        image.save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()


def _average_colour(image: Image.Image) -> str:
    red, green, blue = image.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))[:3]
    return f"#{red:02x}{green:02x}{blue:02x}"
