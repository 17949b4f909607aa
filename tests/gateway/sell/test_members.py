"""The people who work in a shop: the owner sees them, removes staff and invites people by
address; staff see them and change nothing; an invitation is answered by its address only.

Against fake services (tests/gateway/fakes.py): the shops service's members are canned, and
what the pages send it is checked. Invitations live in the gateway's own database. The whole
journey of an accepted invitation runs live in test_shop_admin_live.py.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from tests.gateway.fakes import FakeServices, a_shop
from tests.gateway.helpers import latest_notice, notices, sign_up, text
from tests.gateway.sell.conftest import user_id
from tests.gateway.sell.fakes_shop_admin import (
    a_member,
    a_shop_profile,
    for_each_person,
    inventory,
    last_owner,
    members_of,
    owner_only,
)
from tests.gateway.sell.helpers import submit

INVITATION_ACTION = re.compile(r'action="(/sell/invitations/[^"]+/accept)"')
MEMBERS = "/shops/shop-1/members"


def removal(member_id: str) -> str:
    return f"/shops/shop-1/members/{member_id}"


@pytest.fixture
def mara_id(app: Flask, portal: FlaskClient) -> str:
    return user_id(app, "mara@example.org")


@pytest.fixture
def only_mara(fakes: FakeServices, mara_id: str) -> None:
    fakes.on("GET", MEMBERS, members_of(a_member(mara_id, "owner")))


@pytest.fixture
def sam(app: Flask, fakes: FakeServices, mara_id: str) -> tuple[FlaskClient, str]:
    """Sam signs up and works in Mara's shop as staff."""
    client = app.test_client()
    sign_up(client, email="sam@example.org", display_name="Sam Staff")
    sam_id = user_id(app, "sam@example.org")
    fakes.on("GET", MEMBERS, members_of(a_member(mara_id, "owner"), a_member(sam_id)))
    return client, sam_id


def members_page(client: FlaskClient) -> str:
    return text(client.get("/sell/settings/members"))


def invite(client: FlaskClient, email: str):  # noqa: ANN201 - a test response
    return submit(client, "/sell/settings/members", {"email": email})


def test_the_owner_sees_the_people_and_removes_a_staff_member(portal, fakes, mara_id, sam):
    _client, sam_id = sam
    fakes.on("GET", "/shops/shop-1", a_shop_profile())
    fakes.on("DELETE", removal(sam_id), {})

    page = members_page(portal)
    assert "Sam Staff" in page and "sam@example.org" in page and "Mara (you)" in page
    assert f'action="/sell/settings/members/{sam_id}/remove"' in page
    assert f'action="/sell/settings/members/{mara_id}/remove"' not in page
    assert 'href="/sell/settings/members"' in text(portal.get("/sell/settings"))

    removed = submit(portal, f"/sell/settings/members/{sam_id}/remove", {})

    assert removed.status_code == 302
    assert fakes.writes() == [f"DELETE {removal(sam_id)}"]
    assert "they no longer work in this shop" in members_page(portal)


def test_the_services_refusal_to_remove_the_last_owner_is_said(portal, fakes, mara_id, sam):
    fakes.on("DELETE", removal(mara_id), last_owner())

    removed = submit(portal, f"/sell/settings/members/{mara_id}/remove", {})

    assert removed.status_code == 302
    assert "The shop&#39;s last owner cannot be removed." in members_page(portal)


def test_staff_see_the_people_but_cannot_remove_anyone(fakes, mara_id, sam):
    client, _sam_id = sam
    fakes.on("DELETE", removal(mara_id), owner_only())

    page = members_page(client)
    assert "Mara" in page and "Only the shop's owner can add or remove people." in page
    assert "/remove" not in page and 'id="add-member"' not in page
    # The page offers nothing, and a removal sent by hand is the shops service's to refuse.
    submit(client, f"/sell/settings/members/{mara_id}/remove", {})

    refused = members_page(client)
    assert "Only the shop&#39;s owner can change its settings and members." in refused
    assert "flash-error" in refused


def test_removing_needs_the_forms_csrf_token(portal, fakes, sam):
    _client, sam_id = sam

    response = portal.post(f"/sell/settings/members/{sam_id}/remove", data={})

    assert response.status_code == 400
    assert fakes.writes() == []


def test_inviting_answers_the_same_whether_an_account_uses_the_address(
    app, portal, fakes, only_mara
):
    sign_up(app.test_client(), email="lou@example.org", display_name="Lou Staff")

    known = invite(portal, " LOU@example.org ")
    known_page = members_page(portal)
    unknown = invite(portal, "nobody@example.org")
    unknown_page = members_page(portal)

    assert known.status_code == unknown.status_code == 302
    assert "We invited lou@example.org to work in Mara&#39;s Books." in known_page
    assert "We invited nobody@example.org to work in Mara&#39;s Books." in unknown_page
    for page in (known_page, unknown_page):
        assert "Lou Staff" not in page and "sign up" not in page
    # Nobody joins without saying yes: the shops service is not told of anyone yet.
    assert fakes.writes() == []
    sent = unknown_page.split('id="invitations-sent"')[1]
    assert "lou@example.org" in sent and "nobody@example.org" in sent
    # Both addresses are told by mail, whether or not an account uses them.
    for address in ("lou@example.org", "nobody@example.org"):
        mail = latest_notice(portal, "staff_invitation", address)
        assert mail["shop_name"] == "Mara's Books"
        assert mail["link"].endswith("/notifications")


@pytest.fixture
def lou(app: Flask, portal: FlaskClient, fakes: FakeServices, only_mara: None) -> FlaskClient:
    """Mara invites Lou, who then signs up with the address invited."""
    invite(portal, "lou@example.org")
    client = app.test_client()
    sign_up(client, email="lou@example.org", display_name="Lou Staff")
    # Lou works in no shop until the shops service adds her.
    fakes.on(
        "GET",
        "/shops/mine",
        for_each_person(
            {"mara@example.org": {"shops": [a_shop()]}, "lou@example.org": {"shops": []}}
        ),
    )
    return client


def test_the_invitee_accepting_asks_the_shops_service_to_add_them(app, portal, fakes, mara_id, lou):
    lou_id = user_id(app, "lou@example.org")
    fakes.on("POST", "/shops/shop-1/members/invited", a_member(lou_id))

    notifications = text(lou.get("/notifications"))
    portal_start = text(lou.get("/sell/"))
    accepted = submit(lou, INVITATION_ACTION.search(notifications).group(1), {})

    assert "Mara&#39;s Books invites you to work in the shop as staff." in notifications
    assert "Mara&#39;s Books invites you" in portal_start
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/sell/")
    assert fakes.sent("POST", "/shops/shop-1/members/invited") == [
        {"user_id": lou_id, "role": "staff", "invited_by": mara_id}
    ]
    assert "invites you" not in text(lou.get("/notifications"))
    assert 'id="invitations-sent"' not in members_page(portal)  # answered, no longer open


def test_an_invitation_the_shops_service_no_longer_honours_is_said_and_closed(portal, fakes, lou):
    # Whoever invited is no longer the shop's owner: the service refuses to add Lou.
    fakes.on("POST", "/shops/shop-1/members/invited", owner_only())
    action = INVITATION_ACTION.search(text(lou.get("/notifications"))).group(1)

    accepted = submit(lou, action, {})

    assert accepted.status_code == 302
    assert accepted.headers["Location"].endswith("/notifications")
    notifications = text(lou.get("/notifications"))
    assert "This invitation is no longer valid: ask the shop&#39;s owner again." in notifications
    assert "invites you" not in notifications
    assert 'id="invitations-sent"' not in members_page(portal)


def test_an_invitation_is_only_for_its_address_and_can_be_declined(app, portal, fakes, only_mara):
    invite(portal, "lou@example.org")
    eve = app.test_client()
    sign_up(eve, email="eve@example.org", display_name="Eve")
    lou = app.test_client()
    sign_up(lou, email="lou@example.org", display_name="Lou Staff")
    action = INVITATION_ACTION.search(text(lou.get("/notifications"))).group(1)

    stolen = submit(eve, action, {})
    declined = submit(lou, action.replace("/accept", "/decline"), {})
    again = submit(lou, action, {})

    assert "invites you" not in text(eve.get("/notifications"))
    assert stolen.status_code == declined.status_code == again.status_code == 302
    assert fakes.writes() == []  # nobody was added to the shop
    assert "invites you" not in text(lou.get("/notifications"))


def test_staff_cannot_invite_and_a_cancelled_invitation_cannot_be_accepted(app, portal, fakes, sam):
    client, _sam_id = sam
    refused = invite(client, "x@example.org")
    invite(portal, "lou@example.org")
    page = members_page(portal)
    cancel = re.search(r'action="(/sell/settings/invitations/[^"]+/cancel)"', page).group(1)
    submit(portal, cancel, {})
    lou = app.test_client()
    sign_up(lou, email="lou@example.org", display_name="Lou Staff")

    assert refused.status_code == 403
    assert notices(portal, "staff_invitation", "x@example.org") == []
    assert "invites you" not in text(lou.get("/notifications"))
    assert fakes.writes() == []


def test_inviting_someone_already_in_the_shop_is_refused_beside_the_field(portal, fakes, sam):
    refused = invite(portal, "sam@example.org")

    assert refused.status_code == 409
    assert 'id="email-error"' in text(refused)
    assert "already a member of the shop" in text(refused)
    assert notices(portal, "staff_invitation", "sam@example.org") == []


def test_staff_cannot_add_people(app, fakes, sam):
    client, _sam_id = sam
    sign_up(app.test_client(), email="lou@example.org", display_name="Lou Staff")

    page = members_page(client)
    refused = invite(client, "lou@example.org")

    assert 'id="add-member"' not in page
    assert refused.status_code == 403
    assert "Only the shop's owner can add or remove people." in text(refused)
    assert notices(client, "staff_invitation", "lou@example.org") == []
    assert fakes.writes() == []


def test_a_removed_staff_member_is_told_and_sent_to_the_portals_start(portal, fakes, sam):
    client, sam_id = sam
    fakes.on("GET", "/shops/shop-1/listings", inventory())
    fakes.on("DELETE", removal(sam_id), {})
    assert client.get("/sell/listings").status_code == 200  # Sam works on Mara's shop
    submit(portal, f"/sell/settings/members/{sam_id}/remove", {})
    # From now on the shops service lists no shop of Sam's.
    fakes.on("GET", "/shops/mine", {"shops": []})

    response = client.get("/sell/listings")

    assert response.status_code == 302 and response.headers["Location"].endswith("/sell/")
    page = text(client.get("/sell/"))
    assert f"You are no longer a member of {escape(a_shop()['name'])}." in page
