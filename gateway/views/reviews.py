"""Shop pages, reviews and reputation, for shoppers."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("reviews", __name__)
