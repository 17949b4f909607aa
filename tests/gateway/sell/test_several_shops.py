"""A person who runs more than one shop: open another, switch between them."""

from __future__ import annotations

from tests.gateway.helpers import post_form, text


def open_second_shop(seller, name: str = "Mara's Records"):  # noqa: ANN001, ANN201
    return post_form(
        seller.client,
        "/sell/shops/new",
        {"name": name, "signature": f"Mara, {name}", "country": "NL"},
        page="/sell/shops/new",
    )


def test_a_second_shop_opens_and_becomes_the_one_shown(seller):
    response = open_second_shop(seller)

    assert response.status_code == 302
    dashboard = text(seller.client.get("/sell/"))
    assert "<h1>Mara&#39;s Records</h1>" in dashboard
    assert 'id="shop-switch"' in dashboard


def test_switching_shows_the_chosen_shop_everywhere_in_the_portal(seller):
    open_second_shop(seller)
    seller.add_listing(title="Only in the bookshop")

    response = post_form(seller.client, "/sell/shop", {"shop_id": seller.shop["id"]}, page="/sell/")

    assert response.status_code == 302
    assert "<h1>Mara&#39;s Books</h1>" in text(seller.client.get("/sell/"))
    assert "Only in the bookshop" in text(seller.client.get("/sell/listings"))


def test_a_shop_that_is_not_yours_cannot_be_chosen(seller, live_gateway, services):
    from tests.gateway.sell.conftest import open_shop

    other = open_shop(live_gateway, services, "jo@example.org", "Jo's Maps", "Jo")

    post_form(seller.client, "/sell/shop", {"shop_id": other.shop["id"]}, page="/sell/")

    page = text(seller.client.get("/sell/"))
    assert "Jo&#39;s Maps" not in page
    assert "<h1>Mara&#39;s Books</h1>" in page


def test_a_second_shop_with_a_blank_name_is_refused_with_a_reason(seller):
    response = open_second_shop(seller, name="")

    assert response.status_code == 400
    assert 'id="name-error"' in text(response)
    assert "<h1>Mara&#39;s Books</h1>" in text(seller.client.get("/sell/"))
