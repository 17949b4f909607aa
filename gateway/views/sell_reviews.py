"""The seller portal's reviews and public answers."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("reviews", __name__)
