"""A form whose text is not UTF-8 is refused with 400, and nothing of it is saved."""

from __future__ import annotations

from tests.gateway.helpers import csrf_token, text


def test_a_form_that_is_not_utf8_is_refused_and_saves_nothing(seller):
    before = seller.stored_shop()
    token = csrf_token(seller.client, "/sell/settings")
    fields = (
        "&signature=Mara&currency=EUR&country=NL&order_mode=manual&response_hours=48"
        "&domestic_first=3.00&domestic_additional=1.00"
        "&international_first=9.00&international_additional=2.00"
    )

    response = seller.client.post(
        "/sell/settings",
        data=f"csrf_token={token}&name=%FF%FE&about=caf%E9{fields}",
        content_type="application/x-www-form-urlencoded",
    )
    after_refusal = seller.stored_shop()
    # The same form in UTF-8 is saved: only the encoding was wrong.
    saved = seller.client.post(
        "/sell/settings",
        data=f"csrf_token={token}&name=Mara%27s%20B%C3%BCcher&about=caf%C3%A9{fields}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "not valid UTF-8" in text(response)
    assert (after_refusal["name"], after_refusal["about"]) == (before["name"], before["about"])
    assert saved.status_code == 302, text(saved)
    assert seller.stored_shop()["name"] == "Mara's Bücher"


def test_an_address_that_is_not_utf8_is_refused(seller):
    response = seller.client.get("/search?q=%FF%FE")

    assert response.status_code == 400
    assert "not valid UTF-8" in text(response)


def test_utf8_forms_still_work(seller):
    token = csrf_token(seller.client, "/sell/settings")
    body = f"csrf_token={token}&q=caf%C3%A9"

    response = seller.client.get(f"/sell/listings?{body}")

    assert response.status_code == 200


def test_a_control_character_in_a_form_is_refused(seller):
    token = csrf_token(seller.client, "/sell/settings")

    response = seller.client.post(
        "/sell/settings",
        data=f"csrf_token={token}&name=Mara%00&signature=M%1B[2J",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert seller.stored_shop()["name"] == "Mara's Books"
