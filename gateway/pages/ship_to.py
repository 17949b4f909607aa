"""Where the shopper's parcels go: the country the search, listing, cart and checkout pages
price shipping for, remembered in a cookie."""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.countries import country_choices
from gateway.identity import orders_client

COUNTRY_COOKIE = "ship_to"


COUNTRY_CODES = {code for code, _ in country_choices()}


def shopper_country() -> str | None:
    """Where the shopper's parcels go: the country they last chose, else their last order's."""
    chosen = (request.cookies.get(COUNTRY_COOKIE) or "").upper()
    if chosen in COUNTRY_CODES:
        return chosen
    if current_user.is_authenticated:
        try:
            placed = orders_client().orders()
        except (ServiceError, ServiceUnavailable):
            return None
        if placed and str(placed[0].get("country", "")).upper() in COUNTRY_CODES:
            return str(placed[0]["country"]).upper()
    return None


def remember_country(response: Response, country: str | None) -> Response:
    if country and country in COUNTRY_CODES:
        response.set_cookie(
            COUNTRY_COOKIE, country, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response
