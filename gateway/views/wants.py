"""Want lists: what a shopper is looking for, and the listings that matched."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("wants", __name__)
