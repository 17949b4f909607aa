"""What every page owes a browser: an icon and readable colours. Unique ids on every page:
the walk of test_security_headers_live.py."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from flask import Flask

import gateway

STYLE = Path(gateway.__file__).parent / "static" / "style.css"


def test_favicon_is_served_where_browsers_ask_for_it(app: Flask):
    response = app.test_client().get("/favicon.ico")

    assert response.status_code == 200
    assert response.data.startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert "icon" in response.mimetype


def duplicate_ids(html: str) -> list[str]:
    counts = Counter(re.findall(r'\sid="([^"]+)"', html))
    return [name for name, count in counts.items() if count > 1]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_star_ratings_have_the_contrast_wcag_aa_asks_of_text():
    css = STYLE.read_text()
    stars = re.search(r"^\.stars \{[^}]*color: (#[0-9a-fA-F]{6})", css, re.M).group(1)
    paper = re.search(r"--paper: (#[0-9a-fA-F]{6})", css).group(1)

    assert contrast(stars, paper) >= 4.5
    assert contrast(stars, "#ffffff") >= 4.5
