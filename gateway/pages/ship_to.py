"""Where the shopper's parcels go: the country the search, listing, cart and checkout pages
price shipping for, remembered in a cookie; and the town they say they are in, for the
shops near them, remembered for the visit."""

from __future__ import annotations

from flask import Response, request, session
from flask_login import current_user

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.countries import country_choices, country_name
from gateway.identity import orders_client
from services.common import geo

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


TOWN_KEY = "near_town"


def shopper_place(country: str | None) -> tuple[str, tuple[float, float] | None, str | None]:
    """The town the shopper says they are in (a search's `near`, else the one they gave
    earlier in this visit), its coordinates in `country`, and why it cannot be placed.

    The town is kept in the session, for the visit only: no more is remembered of where a
    person is."""
    if "near" in request.args:
        typed = " ".join((request.args.get("near") or "").split())[:100]
        if typed:
            session[TOWN_KEY] = typed
        else:
            session.pop(TOWN_KEY, None)
    town = str(session.get(TOWN_KEY) or "")
    if not town:
        return "", None, None
    if not country:
        return town, None, "Choose your country too, to find the shops near your town."
    found = geo.locate(town, country)
    if found is None:
        return (
            town,
            None,
            (f"We do not know {town} in {country_name(country)}: try the nearest larger town."),
        )
    return town, (found.latitude, found.longitude), None


def shopper_coordinates() -> tuple[float, float] | None:
    """The coordinates of the town the shopper gave in this visit, if it could be placed."""
    town = str(session.get(TOWN_KEY) or "")
    country = shopper_country()
    found = geo.locate(town, country) if town and country else None
    return None if found is None else (found.latitude, found.longitude)
