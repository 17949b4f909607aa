"""The open invitations to work in a shop, for the pages that list them (the notification
centre, the seller's dashboard, opening a shop): read from the gateway's own database."""

from __future__ import annotations

from flask_login import current_user

from gateway import identity, invitations
from services.common.clock import utcnow


def invitations_to_me() -> list:
    """Open invitations to the signed-in person's address."""
    if not current_user.is_authenticated:
        return []
    return invitations.open_for_email(identity.db(), email=current_user.email, now=utcnow())
