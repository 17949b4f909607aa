"""What the account pages share: the links put in their mails, and the account rules'
messages put on a form's fields."""

from __future__ import annotations

from flask import request

from gateway import account_services, identity


def mail_links() -> account_services.Links:
    """Links for the mails: the configured public address, else this request's own."""
    return account_services.Links(identity.settings().public_url or request.host_url)


def put_errors(form, problems: dict[str, str]) -> None:  # noqa: ANN001 - any FlaskForm
    """Add the rules' messages to the fields the form's own checks found nothing wrong with."""
    for name, message in problems.items():
        field = getattr(form, name)
        if not field.errors:
            field.errors = [*field.errors, message]
