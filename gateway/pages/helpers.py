"""Small pieces the views share."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash
from flask_wtf import FlaskForm

from gateway.clients import ServiceError


def safe_next(target: str | None, default: str = "/") -> str:
    """Where to go after logging in: only a path on this site, never another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


def show_service_error(
    form: FlaskForm, error: ServiceError, *, field_names: dict[str, str] | None = None
) -> None:
    """Put a service's refusal on the form: per field where it names one, else on top.

    `field_names` maps the service's field names ("price.amount") to the form's ("price").
    """
    field_names = field_names or {}
    placed = False
    for service_field, reason in error.fields.items():
        name = field_names.get(service_field, service_field)
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, reason]  # type: ignore[misc]
            placed = True
    if not placed or not error.fields:
        flash(error.message, "error")


def sentence(message: str) -> str:
    """A service's message as a sentence on the page."""
    message = message.strip().rstrip(".")
    return f"{message[:1].upper()}{message[1:]}."
