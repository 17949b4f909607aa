"""Conversations between shoppers and shops, and the notification centre."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("messages", __name__)
