"""Pictures for the demo shops: a cover per book and a logo and banner per shop, drawn on
the spot (no files to ship, nobody's photos to license)."""

from __future__ import annotations

import io
import random
import textwrap

from PIL import Image, ImageDraw, ImageFont

PALETTE = (
    (122, 59, 46), (46, 74, 122), (47, 107, 58), (138, 90, 0), (92, 50, 110),
    (30, 30, 30), (160, 120, 80), (40, 110, 120),
)  # fmt: skip


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def cover(title: str, author: str | None, *, seed: int) -> bytes:
    """A cloth-bound cover: a colour, a lighter band, the title and the author."""
    rng = random.Random(seed)
    colour = rng.choice(PALETTE)
    image = Image.new("RGB", (600, 900), colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 90) for c in colour)
    draw.rectangle((40, 220, 560, 520), fill=light)
    draw.rectangle((30, 30, 570, 870), outline=light, width=4)
    lines = textwrap.wrap(title, 16)[:4]
    for number, line in enumerate(lines):
        draw.text((300, 270 + number * 56), line, font=_font(46), fill=colour, anchor="mt")
    if author:
        draw.text((300, 760), author, font=_font(32), fill=light, anchor="mt")
    return _png(image)


def logo(name: str, *, seed: int) -> bytes:
    colour = random.Random(seed).choice(PALETTE)
    image = Image.new("RGB", (400, 400), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(word[0] for word in name.split() if word[0].isalpha())[:2].upper()
    draw.ellipse((30, 30, 370, 370), outline=(255, 255, 255), width=8)
    draw.text((200, 200), initials, font=_font(150), fill=(255, 255, 255), anchor="mm")
    return _png(image)


def banner(name: str, *, seed: int) -> bytes:
    """Book spines on a shelf, in the shop's colours."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1600, 400), (236, 230, 218))
    draw = ImageDraw.Draw(image)
    x = 0
    while x < 1600:
        width = rng.randint(28, 70)
        top = rng.randint(40, 120)
        draw.rectangle((x, top, x + width - 4, 360), fill=rng.choice(PALETTE))
        x += width
    draw.rectangle((0, 360, 1600, 400), fill=(96, 64, 40))
    return _png(image)
