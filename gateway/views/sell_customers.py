"""The seller portal's customer book."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("customers", __name__)
