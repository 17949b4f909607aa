"""The people who work in a shop: the owner sees them and removes staff; nobody else can."""

from __future__ import annotations

import re

import pytest
import requests
from markupsafe import escape

from tests.gateway.helpers import sign_up, text
from tests.gateway.sell.conftest import user_id
from tests.gateway.sell.helpers import submit

INVITATION_ACTION = re.compile(r'action="/sell/invitations/[^"]+/accept"')


def stored_member_ids(seller) -> set[str]:
    url = f"{seller.services.shops_url}/shops/{seller.shop['id']}/members"
    members = requests.get(url, headers=seller._headers(), timeout=5).json()["members"]
    return {member["user_id"] for member in members}


@pytest.fixture
def staff(seller, live_gateway):
    """Sam signs up and the owner adds him to the shop as staff."""
    client = live_gateway.test_client()
    sign_up(client, email="sam@example.org", display_name="Sam Staff")
    sam_id = user_id(live_gateway, "sam@example.org")
    response = requests.post(
        f"{seller.services.shops_url}/shops/{seller.shop['id']}/members",
        json={"user_id": sam_id, "role": "staff"},
        headers=seller._headers(),
        timeout=5,
    )
    assert response.status_code == 201, response.text
    return client, sam_id


def test_the_owner_removes_a_staff_member(seller, staff):
    _client, sam_id = staff

    page = text(seller.client.get("/sell/settings/members"))
    assert "Sam Staff" in page and "sam@example.org" in page and "Mara (you)" in page
    assert f'action="/sell/settings/members/{sam_id}/remove"' in page
    owner_id = user_id(seller.app, seller.email)
    assert f'action="/sell/settings/members/{owner_id}/remove"' not in page
    assert 'href="/sell/settings/members"' in text(seller.client.get("/sell/settings"))

    removed = submit(seller.client, f"/sell/settings/members/{sam_id}/remove", {})

    assert removed.status_code == 302
    assert "they no longer work in this shop" in text(seller.client.get("/sell/settings/members"))
    assert stored_member_ids(seller) == {owner_id}


def test_the_last_owner_cannot_remove_themselves(seller, staff):
    owner_id = user_id(seller.app, seller.email)

    submit(seller.client, f"/sell/settings/members/{owner_id}/remove", {})

    page = text(seller.client.get("/sell/settings/members"))
    assert "The shop&#39;s last owner cannot be removed." in page
    assert owner_id in stored_member_ids(seller)


def test_staff_see_the_people_but_cannot_remove_anyone(seller, staff):
    client, sam_id = staff
    owner_id = user_id(seller.app, seller.email)

    page = text(client.get("/sell/settings/members"))
    assert "Mara" in page and "Only the shop's owner can add or remove people." in page
    assert "/remove" not in page
    submit(client, f"/sell/settings/members/{owner_id}/remove", {})

    refused = text(client.get("/sell/settings/members"))
    assert "can change its settings and members" in refused and "flash-error" in refused
    assert stored_member_ids(seller) == {owner_id, sam_id}


def test_removing_needs_the_forms_csrf_token(seller, staff):
    _client, sam_id = staff

    response = seller.client.post(f"/sell/settings/members/{sam_id}/remove", data={})

    assert response.status_code == 400
    assert sam_id in stored_member_ids(seller)


def invite(seller, email: str):  # noqa: ANN001, ANN201
    return submit(seller.client, "/sell/settings/members", {"email": email})


def flashed(client) -> str:  # noqa: ANN001
    return text(client.get("/sell/settings/members"))


def test_inviting_answers_the_same_whether_an_account_uses_the_address(seller, live_gateway):
    sign_up(live_gateway.test_client(), email="lou@example.org", display_name="Lou Staff")
    before = stored_member_ids(seller)

    known = invite(seller, " LOU@example.org ")
    known_page = flashed(seller.client)
    unknown = invite(seller, "nobody@example.org")
    unknown_page = flashed(seller.client)

    assert known.status_code == unknown.status_code == 302
    assert "We invited lou@example.org to work in Mara&#39;s Books." in known_page
    assert "We invited nobody@example.org to work in Mara&#39;s Books." in unknown_page
    for page in (known_page, unknown_page):
        assert "Lou Staff" not in page and "sign up" not in page
    # Nobody joins without saying yes.
    assert stored_member_ids(seller) == before
    sent = unknown_page.split('id="invitations-sent"')[1]
    assert "lou@example.org" in sent and "nobody@example.org" in sent


def test_the_invitee_accepts_and_joins_the_shop(seller, live_gateway):
    invite(seller, "lou@example.org")
    lou = live_gateway.test_client()
    sign_up(lou, email="lou@example.org", display_name="Lou Staff")
    lou_id = user_id(live_gateway, "lou@example.org")

    notifications = text(lou.get("/notifications"))
    portal = text(lou.get("/sell/"))
    accept = INVITATION_ACTION.search(notifications)
    accepted = submit(lou, accept.group(0).split('"')[1], {})

    assert "Mara&#39;s Books invites you to work in the shop as staff." in notifications
    assert "Mara&#39;s Books invites you" in portal
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/sell/")
    assert lou_id in stored_member_ids(seller)
    assert "<h1>Mara&#39;s Books</h1>" in text(lou.get("/sell/"))
    assert "invites you" not in text(lou.get("/notifications"))
    assert "Lou Staff" in flashed(seller.client)


def test_an_invitation_is_only_for_its_address_and_can_be_declined(seller, live_gateway):
    invite(seller, "lou@example.org")
    eve = live_gateway.test_client()
    sign_up(eve, email="eve@example.org", display_name="Eve")
    lou = live_gateway.test_client()
    sign_up(lou, email="lou@example.org", display_name="Lou Staff")
    action = INVITATION_ACTION.search(text(lou.get("/notifications"))).group(0).split('"')[1]
    before = stored_member_ids(seller)

    stolen = submit(eve, action, {})
    declined = submit(lou, action.replace("/accept", "/decline"), {})
    again = submit(lou, action, {})

    assert "invites you" not in text(eve.get("/notifications"))
    assert stolen.status_code == declined.status_code == again.status_code == 302
    assert stored_member_ids(seller) == before
    assert "invites you" not in text(lou.get("/notifications"))


def test_staff_cannot_invite_and_a_cancelled_invitation_cannot_be_accepted(
    seller, staff, live_gateway
):
    client, _sam_id = staff
    refused = submit(client, "/sell/settings/members", {"email": "x@example.org"})
    invite(seller, "lou@example.org")
    page = flashed(seller.client)
    cancel = re.search(r'action="(/sell/settings/invitations/[^"]+/cancel)"', page).group(1)
    submit(seller.client, cancel, {})
    lou = live_gateway.test_client()
    sign_up(lou, email="lou@example.org", display_name="Lou Staff")

    assert refused.status_code == 403
    assert "invites you" not in text(lou.get("/notifications"))


def test_adding_someone_twice_is_refused_beside_the_field(seller, staff):
    refused = submit(seller.client, "/sell/settings/members", {"email": "sam@example.org"})

    assert refused.status_code == 409
    assert "already a member of the shop" in text(refused)


def test_staff_cannot_add_people(seller, staff, live_gateway):
    client, _sam_id = staff
    sign_up(live_gateway.test_client(), email="lou@example.org", display_name="Lou Staff")
    before = stored_member_ids(seller)

    page = text(client.get("/sell/settings/members"))
    refused = submit(client, "/sell/settings/members", {"email": "lou@example.org"})

    assert 'id="add-member"' not in page
    assert refused.status_code == 403
    assert stored_member_ids(seller) == before


def test_a_removed_staff_member_is_told_and_sent_to_the_portals_start(seller, staff):
    client, sam_id = staff
    assert client.get("/sell/listings").status_code == 200  # the shop is cached now
    submit(seller.client, f"/sell/settings/members/{sam_id}/remove", {})

    response = client.get("/sell/listings")

    assert response.status_code == 302 and response.headers["Location"].endswith("/sell/")
    page = text(client.get("/sell/"))
    assert f"You are no longer a member of {escape(seller.shop['name'])}." in page
