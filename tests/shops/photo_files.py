"""Picture files for the photo tests, made on the spot with Pillow."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(*, size: tuple[int, int] = (640, 480), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (180, 40, 40))
    # The left half darker, to see which way the picture was turned.
    image.paste((20, 20, 20), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "ShelfCam"  # Make
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # Paris
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(size: tuple[int, int] = (300, 200), colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny file whose header says `width` x `height`: a decompression bomb's shape."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def detailed_jpeg(size: tuple[int, int] = (3200, 2400)) -> bytes:
    """A camera-sized photo full of fine detail (hatching and small print, as on a title
    page), where a softer resize or a cheaper encoder shows."""
    image = Image.new("RGB", size, (235, 225, 205))
    draw = ImageDraw.Draw(image)
    rng = random.Random(7)
    for x in range(0, size[0], 23):
        draw.line([(x, 0), (x + size[1] // 3, size[1])], fill=(90, 60, 40), width=1)
    for _ in range(size[0] * size[1] // 20_000):
        at = (rng.randrange(size[0] - 200), rng.randrange(size[1] - 12))
        draw.text(at, "First edition, 1847", fill=(rng.randrange(120), 20, 40))
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(0.7)).save(out, "JPEG", quality=92)
    return out.getvalue()
