"""The owner makes an API token in the portal, sees its secret once, and revokes it.

Against fake services (tests/gateway/fakes.py, fakes_orders.py). That a token opens the
public API, and no longer once revoked, is tested in tests/shops/public_api/test_tokens.py.
"""

from __future__ import annotations

from gateway.clients import ServiceError
from tests.gateway.fakes import a_shop
from tests.gateway.helpers import text
from tests.gateway.sell.fakes_orders import an_api_token
from tests.gateway.sell.helpers import submit

TOKENS = "/shops/shop-1/tokens"
PAGE = "/sell/settings/api-tokens"
SECRET = "sft_ab12c3d4e5f6g7h8i9j0"


def test_the_settings_page_links_to_the_tokens(portal, fakes):
    fakes.on("GET", "/shops/shop-1", a_shop())

    assert f'href="{PAGE}"' in text(portal.get("/sell/settings"))


def test_making_a_token_sends_its_name_scopes_and_expiry_and_shows_the_secret_once(portal, fakes):
    fakes.on("GET", TOKENS, {"tokens": []})
    fakes.on("POST", TOKENS, an_api_token() | {"secret": SECRET})

    made = submit(
        portal,
        PAGE,
        {"name": " HomeBase sync ", "scopes": ["inventory:read", "orders:read"], "expires": "30"},
    )

    assert made.status_code == 201
    assert f'<code id="token-secret">{SECRET}</code>' in text(made)
    assert fakes.sent("POST", TOKENS) == [
        {
            "name": "HomeBase sync",
            "scopes": ["inventory:read", "orders:read"],
            "expires_in_days": 30,
        }
    ]
    fakes.on("GET", TOKENS, {"tokens": [an_api_token()]})
    page = text(portal.get(PAGE))
    assert "HomeBase sync" in page and 'data-token-id="token-1"' in page
    assert SECRET not in page  # shown on the answer that made it, never again


def test_a_token_that_never_expires_sends_no_expiry(portal, fakes):
    fakes.on("GET", TOKENS, {"tokens": []})
    fakes.on("POST", TOKENS, an_api_token(expires_at=None) | {"secret": SECRET})

    submit(portal, PAGE, {"name": "Till", "scopes": ["orders:write"], "expires": ""})

    assert fakes.sent("POST", TOKENS) == [
        {"name": "Till", "scopes": ["orders:write"], "expires_in_days": None}
    ]


def test_revoking_a_token_asks_the_shops_service_and_says_it_no_longer_works(portal, fakes):
    fakes.on("GET", TOKENS, {"tokens": [an_api_token()]})
    revoked_at = "2026-12-02T10:00:00+00:00"
    fakes.on("DELETE", f"{TOKENS}/token-1", an_api_token(revoked_at=revoked_at))

    revoked = submit(portal, f"{PAGE}/token-1/revoke", {})

    assert revoked.status_code == 302
    assert fakes.writes() == [f"DELETE {TOKENS}/token-1"]
    fakes.on("GET", TOKENS, {"tokens": [an_api_token(revoked_at=revoked_at)]})
    page = text(portal.get(PAGE))
    assert "“HomeBase sync” is revoked: it no longer works." in page
    assert "Revoked" in page


def test_a_token_needs_a_name_and_something_it_may_do(portal, fakes):
    fakes.on("GET", TOKENS, {"tokens": []})

    refused = submit(portal, PAGE, {"name": "", "expires": ""})

    assert refused.status_code == 400
    page = text(refused)
    assert "Name the token" in page and "Tick at least one" in page
    assert fakes.writes() == []


def test_an_expiry_the_service_refuses_is_said_beside_the_expiry(portal, fakes):
    fakes.on("GET", TOKENS, {"tokens": []})
    refusal = ServiceError(422, "check the token", {"expires_in_days": "at most a year"})
    fakes.on("POST", TOKENS, refusal)

    refused = submit(portal, PAGE, {"name": "Till", "scopes": ["orders:read"], "expires": "365"})

    assert refused.status_code == 422
    assert 'id="expires-error"' in text(refused) and "at most a year" in text(refused)


def test_staff_read_that_only_the_owner_makes_tokens(portal, fakes):
    fakes.on("GET", TOKENS, ServiceError(403, "only the shop's owner may"))

    page = text(portal.get(PAGE))

    assert "Only the shop's owner can make and revoke API tokens." in page
    assert 'id="make-token"' not in page
