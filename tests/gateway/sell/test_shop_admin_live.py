"""The pages that run a shop against the live stack (the real services on threads, RabbitMQ,
the databases): the canned answers of fakes_shop_admin.py asked of the live shops service, and
two journeys the fakes cannot make, where the gateway and the service each do their part.

Everything else about these pages runs against fakes: test_members.py, test_listings.py,
test_settings.py, test_shipping_page.py, test_several_shops.py, test_form_encoding.py.
"""

from __future__ import annotations

import re

import pytest
import requests

from gateway.clients import ServiceClient, ServiceError
from services.common import shipping
from tests import support
from tests.gateway.helpers import sign_up, text
from tests.gateway.sell.conftest import user_id
from tests.gateway.sell.fakes_shop_admin import (
    a_member,
    a_public_listing,
    a_region,
    a_shipping_profile,
    a_shipping_service,
    a_shop_profile,
    an_own_listing,
    bulk_quantity_refused,
    inventory,
    isbn_refused,
    last_owner,
    members_of,
    owner_only,
    photos_refused,
    profile_rate_refused,
    rate_refused,
)
from tests.gateway.sell.helpers import listing_form, submit
from tests.gateway.sell.test_shipping_page import two_regions
from tests.gateway.test_fakes_contract import missing_from

# --- the canned answers against the live shops service ----------------------------------------

# A listing with every field a member writes (the service's ListingIn).
MIDDLEMARCH = {
    "title": "Middlemarch",
    "author": "George Eliot",
    "isbn": "9780141439549",
    "sku": "GE-1",
    "publisher": "Penguin",
    "year": 1871,
    "binding": "Paperback",
    "condition": "Good",
    "condition_notes": "A name on the flyleaf.",
    "description": "A study of provincial life.",
    "categories": ["Classics"],
    "photos": ["https://example.org/a.jpg"],
    "price": {"amount": 1200, "currency": "EUR"},
    "quantity": 2,
}


def refusal_of(
    client: ServiceClient, method: str, path: str, body: dict | None = None
) -> tuple[int, str, dict[str, str]]:
    """What the service says when it refuses the call."""
    with pytest.raises(ServiceError) as refused:
        client._call(method, path, json=body)
    return said(refused.value)


def said(error: ServiceError) -> tuple[int, str, dict[str, str]]:
    return error.status, error.message, error.fields


def test_the_shop_admin_fakes_answer_as_the_live_shops_service_does(seller, live_gateway):
    sign_up(live_gateway.test_client(), email="sam@example.org", display_name="Sam Staff")
    owner_id, sam_id = user_id(seller.app, seller.email), user_id(live_gateway, "sam@example.org")
    shop_id = seller.shop["id"]
    shop = f"/shops/{shop_id}"

    def client_of(person: str) -> ServiceClient:
        token = support.token_for(person, shops=(shop_id,))
        return ServiceClient(seller.services.shops_url, token=token)

    owner, staff = client_of(owner_id), client_of(sam_id)
    owner._call("POST", f"{shop}/members", json={"user_id": sam_id, "role": "staff"})
    listed = owner._call("POST", f"{shop}/listings", json=MIDDLEMARCH)
    one_listing = f"{shop}/listings/{listed['id']}"
    canned = an_own_listing(shop_id=shop_id)
    profile = a_shipping_profile(
        a_region("home", a_shipping_service("standard", 450), free_over=4000),
        a_region(None, a_shipping_service("economy", 290, 50, days=(3, 5)), countries=("BE", "FR")),
        excluded=("HU",),
        pickup=True,
    )
    bulk = {"listing_ids": [listed["id"]], "set_quantity": 2}
    second_shop = {"name": "Mara's Records", "signature": "Mara"}

    # Each call: what the fakes answer, and what the live service answers.
    answers = {
        f"GET {shop}": (a_shop_profile(shop_id), owner._call("GET", shop)),
        f"GET {shop}/members": (
            members_of(a_member(owner_id, "owner"), a_member(sam_id)),
            owner._call("GET", f"{shop}/members"),
        ),
        f"POST {shop}/listings": (canned, listed),
        f"GET {shop}/listings": (inventory(canned), owner._call("GET", f"{shop}/listings")),
        "GET /listings/<id>": (
            a_public_listing(canned),
            owner._call("GET", f"/listings/{listed['id']}"),
        ),
        f"PATCH {one_listing}": (canned, owner._call("PATCH", one_listing, json={"quantity": 3})),
        f"POST {shop}/listings/bulk": (
            {"listings": [canned]},
            owner._call("POST", f"{shop}/listings/bulk", json=bulk),
        ),
        f"PATCH {shop}": (
            a_shop_profile(shop_id, shipping_profile=profile),
            owner._call("PATCH", shop, json={"shipping_profile": profile}),
        ),
        "POST /shops": (a_shop_profile(), owner._call("POST", "/shops", json=second_shop)),
    }

    gaps = {call: missing_from(fake, live) for call, (fake, live) in answers.items()}
    assert {call: found for call, found in gaps.items() if found} == {}
    # The profile is kept as sent, with the two-zone figures the builder puts beside it.
    kept = answers[f"PATCH {shop}"][1]["shipping"]
    assert kept == a_shop_profile(shipping_profile=profile)["shipping"]

    # The refusals the pages show, word for word.
    too_dear = a_shipping_profile(
        a_region("home", a_shipping_service("standard", 450)),
        a_region("eu", a_shipping_service("economy", 100001)),
    )
    over_cap = {"shipping": {"domestic_first": {"amount": 100001, "currency": "EUR"}}}
    down_by_nine = {"listing_ids": [listed["id"]], "adjust_quantity": -9}
    bad_isbn, bad_photos = MIDDLEMARCH | {"isbn": "12345"}, MIDDLEMARCH | {"photos": ["x"]}
    refusals = {
        "last owner": (last_owner(), refusal_of(owner, "DELETE", f"{shop}/members/{owner_id}")),
        "staff": (owner_only(), refusal_of(staff, "DELETE", f"{shop}/members/{owner_id}")),
        "isbn": (isbn_refused(), refusal_of(owner, "POST", f"{shop}/listings", bad_isbn)),
        "photos": (photos_refused(), refusal_of(owner, "POST", f"{shop}/listings", bad_photos)),
        "bulk": (
            bulk_quantity_refused(listed, -7),
            refusal_of(owner, "POST", f"{shop}/listings/bulk", down_by_nine),
        ),
        "rate": (rate_refused("domestic_first"), refusal_of(owner, "PATCH", shop, over_cap)),
        "profile": (
            profile_rate_refused(1, 0),
            refusal_of(owner, "PATCH", shop, {"shipping_profile": too_dear}),
        ),
    }
    assert {name: live for name, (_, live) in refusals.items()} == {
        name: said(fake) for name, (fake, _) in refusals.items()
    }


# --- journeys ---------------------------------------------------------------------------------

INVITATION_ACTION = re.compile(r'action="(/sell/invitations/[^"]+/accept)"')


def stored_member_ids(seller) -> set[str]:  # noqa: ANN001
    url = f"{seller.services.shops_url}/shops/{seller.shop['id']}/members"
    members = requests.get(url, headers=seller._headers(), timeout=5).json()["members"]
    return {member["user_id"] for member in members}


def test_an_invited_person_accepts_and_works_in_the_shop(seller, live_gateway):
    """The invitation is the gateway's; the membership the shops service's, which it grants
    only to the gateway calling as itself, for an owner's invitation."""
    submit(seller.client, "/sell/settings/members", {"email": "lou@example.org"})
    lou = live_gateway.test_client()
    sign_up(lou, email="lou@example.org", display_name="Lou Staff")
    lou_id = user_id(live_gateway, "lou@example.org")

    notifications = text(lou.get("/notifications"))
    accepted = submit(lou, INVITATION_ACTION.search(notifications).group(1), {})

    assert "Mara&#39;s Books invites you to work in the shop as staff." in notifications
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/sell/")
    assert lou_id in stored_member_ids(seller)
    assert "<h1>Mara&#39;s Books</h1>" in text(lou.get("/sell/"))
    assert "Lou Staff" in text(seller.client.get("/sell/settings/members"))


def test_what_the_portals_forms_send_the_shops_service_keeps(seller):
    """A listing with every field, the settings with a town and an express service, and the
    shipping page: each form's body as the live service takes it, and what it keeps."""
    listed = submit(seller.client, "/sell/listings/new", listing_form())
    settings = submit(
        seller.client,
        "/sell/settings",
        {
            "name": "Mara's Fine Books",
            "signature": "Mara, at the shop",
            "country": "NL",
            "currency": "EUR",
            "domestic_first": "4.50",
            "domestic_additional": "1,25",
            "international_first": "12",
            "international_additional": "0",
            "order_mode": "auto_accept",
            "response_hours": "24",
            "town": "Utrecht",
            "pickup": "y",
            "express_first": "9.90",
            "express_days": "1",
        },
    )
    after_settings = seller.stored_shop()
    shipped = submit(seller.client, "/sell/shipping", two_regions())

    assert (listed.status_code, settings.status_code, shipped.status_code) == (302, 302, 302)
    [stored] = seller.stored_listings()
    assert stored["isbn"] == "9780441478125"  # normalized to ISBN-13 by the service
    assert stored["condition"] == "Very Good" and stored["year"] == 1969
    assert stored["categories"] == ["Science fiction", "Classics"]
    assert stored["price"] == {"amount": 1250, "currency": "EUR"}
    assert "The Left Hand of Darkness" in text(seller.client.get("/sell/listings"))
    assert after_settings["name"] == "Mara's Fine Books"
    assert after_settings["order_handling"] == {"mode": "auto_accept", "response_hours": 24}
    assert after_settings["location"]["town"] == "Utrecht"
    assert after_settings["location"]["latitude"] is not None  # placed by the service
    [home] = [r for r in after_settings["shipping"]["profile"]["regions"] if r["group"] == "home"]
    assert {s["code"]: s["first"] for s in home["services"]} == {"standard": 450, "express": 990}
    profile = shipping.profile_from_dict(seller.stored_shop()["shipping"]["profile"])
    quote = shipping.quote(profile, shop_country="NL", destination="DE", items=2, subtotal=3000)
    assert quote.amount == 340  # economy in the EU: 2.90 and 0.50
    assert "Mara&#39;s Fine Books" in text(seller.client.get("/sell/shipping"))
