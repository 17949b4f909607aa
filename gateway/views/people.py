"""Friends and favourite shops."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("people", __name__)
