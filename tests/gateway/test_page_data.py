"""Pages build their data before rendering: the context a view gives its template, checked
against fake services (tests/gateway/fakes.py), and that no template asks a service.

No live stack here: every service is a fake, and what a test did not answer behaves as a
service that is down.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.local import LocalProxy

import gateway
from gateway.db import User
from tests.gateway.fakes import (
    FakeServices,
    a_review,
    a_shop_listing,
    a_shop_order,
    a_shop_part_thread,
    an_order,
    order_page_answers,
    part_threads,
    shop_listings,
)
from tests.gateway.helpers import sign_up, text

TEMPLATES = Path(gateway.__file__).parent / "templates"

# What templates may call or run through: helpers that format what they are given and ask
# nothing of any service. A new global, filter or context processor that asks a service
# belongs in its view instead (gateway/pages/layout.py: render_page's `asks`).
CALL_FREE = {
    "gateway.tracking.tracking_url",
    "gateway.views.photos.photo_url",
    "gateway.views.reviews.rating_choices",
    "gateway.views.reviews.shop_link",
    "gateway.app.configure_templates.<locals>.layout_values",
    "gateway.app.configure_templates.<locals>.<lambda>",
    "gateway.money.format_money",
    "gateway.app._format_when",
    "gateway.app._without_signature",
    "gateway.views.reviews.stars_filter",
    "gateway.views.sell._time_left_filter",
    "gateway.views.addresses.address_lines_filter",
    "gateway.views.shop._country_filter",
    "gateway.views.sell_customers.ordinal",
    "gateway.views.shop._distance_filter",
    # Empty forms, prefixed with the part's id; no call.
    "gateway.views.aftersale.aftersale_forms",
    "gateway.views.sell_aftersale.shop_aftersale_forms",
    # Reads the signed-in person only.
    "gateway.views.admin.operator_signed_in",
}


def _name(function: Callable) -> str:
    return f"{function.__module__}.{function.__qualname__}"


# Jinja's and Flask's own, and the extensions': they read the request, never a service.
LIBRARIES = (
    "builtins",
    "_operator",
    "operator",
    "jinja2",
    "markupsafe",
    "flask",
    "flask_wtf",
    "flask_login",
)


def _ours(function: Callable) -> bool:
    module = getattr(function, "__module__", "") or ""
    return module.split(".")[0] not in LIBRARIES


def _gateway_callables(app: Flask) -> dict[str, str]:
    """Every global, filter, test and context processor added to the gateway's templates
    (not by Jinja, Flask or its extensions), by the name templates know it under."""
    found: dict[str, str] = {}
    env = app.jinja_env
    for kind, entries in (("global", env.globals), ("filter", env.filters), ("test", env.tests)):
        for name, value in entries.items():
            if isinstance(value, LocalProxy) or not callable(value):
                continue
            if _ours(value):
                found[f"{kind} {name}"] = _name(value)
    for blueprint, processors in app.template_context_processors.items():
        for processor in processors:
            if _ours(processor):
                found[f"context processor of {blueprint or 'the app'}"] = _name(processor)
    return found


def test_no_template_global_filter_or_context_processor_asks_a_service(app: Flask):
    found = _gateway_callables(app)

    assert found, "the walk found nothing: it no longer sees the gateway's globals"
    unknown = {name: where for name, where in found.items() if where not in CALL_FREE}
    assert unknown == {}, (
        "templates would run these, and they are not known to be free of service calls: "
        "gather their data in the view instead"
    )


def test_the_walk_finds_a_global_that_asks_a_service(app: Flask):
    from gateway.identity import catalog_client

    app.jinja_env.globals["newest_covers"] = lambda: catalog_client().covers(["a"])
    app.context_processor(lambda: {"latest": catalog_client().covers(["b"])})

    found = _gateway_callables(app)

    assert "global newest_covers" in found
    assert any(where.endswith("<lambda>") for name, where in found.items() if "processor" in name)
    assert not set(found.values()) <= CALL_FREE


def test_no_template_reads_g():
    # The signed-in person comes as `user`/`current_user`; everything else from the view.
    readers = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"\bg\.[a-z_]", path.read_text())
    ]

    assert readers == []


# --- the order page -----------------------------------------------------------------------


@pytest.fixture
def ada(app: Flask, fakes: FakeServices) -> FlaskClient:
    client = app.test_client()
    assert sign_up(client).status_code == 302
    return client


def _order_page_calls(ada: FlaskClient, fakes: FakeServices, shops: int) -> list[str]:
    order = an_order(f"order-{shops}", shops=shops)
    order_page_answers(fakes, order)
    fakes.forget_calls()

    response = ada.get(f"/orders/{order['id']}")

    assert response.status_code == 200, text(response)[:500]
    assert text(response).count('class="shop-part"') == shops
    return [path.replace(order["id"], "<order>") for path in fakes.paths()]


def test_the_order_page_asks_the_same_calls_for_five_shops_as_for_one(ada, fakes):
    one = _order_page_calls(ada, fakes, shops=1)
    five = _order_page_calls(ada, fakes, shops=5)

    assert five == one
    assert five == [
        "GET /conversations/unread",
        "GET /covers",
        "GET /orders/<order>",
        "GET /orders/<order>/aftersale",
        "GET /orders/<order>/conversations",
        "GET /orders/<order>/reviews",
        "GET /shops/mine",
        "GET /wants/matches/unread",
    ]
    assert [call for call in fakes.calls if call.while_rendering] == []


def test_the_order_page_context_holds_each_parts_thread_review_and_forms(ada, fakes):
    order = an_order(shops=2)
    first, second = order["parts"]
    order_page_answers(fakes, order)
    fakes.on(
        "GET",
        f"/orders/{order['id']}/conversations",
        part_threads(order, written={first["shop_order_id"]: "Wrapped in brown paper."}),
    )
    fakes.on("GET", f"/orders/{order['id']}/reviews", {"reviews": [a_review(second, 4)]})
    fakes.on("GET", "/covers", {"covers": {"listing-1": {"key": "abc", "alt": "Book 1"}}})
    fakes.on("GET", "/conversations/unread", {"shopper": 2, "shops": {}})

    response = ada.get(f"/orders/{order['id']}")

    assert response.status_code == 200
    context = fakes.contexts["shop/order.html"]
    threads = context["part_threads"]
    assert set(threads) == {"part-1", "part-2"}
    assert threads["part-1"]["conversation"]["messages"][0]["text"] == "Wrapped in brown paper."
    assert threads["part-2"]["conversation"] is None
    assert context["part_reviews"] == {"part-2": a_review(second, 4)}
    assert context["covers"] == {"listing-1": {"key": "abc", "alt": "Book 1"}}
    assert set(context["message_forms"]) == set(context["review_forms"]) == {"part-1", "part-2"}
    assert context["missing"] == []
    assert context["nav"]["unread"] == {"shopper": 2, "shops": {}}
    # And the page shows what the context holds.
    html = text(response)
    assert "Wrapped in brown paper." in html
    assert 'id="review-form-part-1"' in html and 'id="review-form-part-2"' not in html
    assert 'id="messages-unread"' in html


def test_an_order_page_whose_threads_and_reviews_are_down_says_so_and_shows_the_rest(ada, fakes):
    order = an_order(shops=3)
    order_page_answers(fakes, order)
    fakes.down("GET", f"/orders/{order['id']}/conversations")
    fakes.down("GET", f"/orders/{order['id']}/reviews")

    response = ada.get(f"/orders/{order['id']}")

    assert response.status_code == 200
    context = fakes.contexts["shop/order.html"]
    assert context["part_threads"] is None and context["part_reviews"] is None
    assert context["missing"] == ["the messages with the shops", "your reviews"]
    html = text(response)
    assert 'id="page-missing"' in html
    assert "the messages with the shops; your reviews" in html
    assert html.count('class="shop-part"') == 3
    assert 'class="part-messages"' not in html and 'class="review-form"' not in html


def test_a_message_form_with_errors_comes_back_on_its_own_part(ada, fakes, app):
    order = an_order(shops=2)
    order_page_answers(fakes, order)
    page = text(ada.get(f"/orders/{order['id']}"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    response = ada.post(
        f"/orders/{order['id']}/parts/part-2/messages",
        data={"csrf_token": token, "part-part-2-text": "   "},
    )

    assert response.status_code == 400
    forms = fakes.contexts["shop/order.html"]["message_forms"]
    assert forms["part-2"].text.errors and not forms["part-1"].text.errors


def test_the_menus_counts_come_with_the_page_not_from_the_template(ada, fakes):
    order_page_answers(fakes, an_order())
    fakes.on("GET", "/wants/matches/unread", {"unread": 3})
    fakes.on("GET", "/conversations/unread", {"shopper": 1, "shops": {}})
    fakes.on("GET", "/conversations", {"conversations": [], "total": 0, "page": 1, "per_page": 20})

    html = text(ada.get("/messages"))

    nav = fakes.contexts["messages/inbox.html"]["nav"]
    assert (nav["want_unread"], nav["unread"]["shopper"]) == (3, 1)
    assert 'id="wants-badge"' in html and 'id="messages-unread"' in html
    assert [call for call in fakes.calls if call.while_rendering] == []


def test_pages_render_from_what_their_views_gathered(ada, fakes):
    """Whatever each page asks, none of it is asked while its template renders."""
    order = an_order(shops=2)
    order_page_answers(fakes, order)
    fakes.on("GET", "/cart", {"lines": [], "shops": [], "total": None, "country": "NL"})
    fakes.on("GET", "/wants/matches", {"matches": [], "unread": 0})
    fakes.on("GET", "/conversations", {"conversations": [], "total": 0, "page": 1, "per_page": 20})
    fakes.on("GET", "/search", {"hits": [], "total": 0, "page": 1, "facets": {}})

    for page in (
        "/",
        "/search?q=emma",
        "/cart",
        f"/orders/{order['id']}",
        "/notifications",
        "/wants/matches",
        "/messages",
        "/people",
        "/favourites",
        "/sell/",
    ):
        response = ada.get(page)
        assert response.status_code in (200, 302, 503), (page, response.status_code)

    assert [f"{c.method} {c.path}" for c in fakes.calls if c.while_rendering] == []


def test_the_notification_centre_with_every_service_down_shows_what_it_can(ada, fakes):
    response = ada.get("/notifications")

    assert response.status_code == 200
    html = text(response)
    assert 'id="unread-unknown"' in html
    assert 'id="page-missing"' in html
    assert fakes.contexts["messages/notifications.html"]["nav"]["unread"] is None


def test_a_signed_out_page_asks_for_no_menu_counts(app, fakes):
    fakes.on("GET", "/search", {"hits": [], "total": 0, "page": 1, "facets": {}})

    assert app.test_client().get("/").status_code == 200

    assert not {"GET /conversations/unread", "GET /wants/matches/unread"} & set(fakes.paths())
    assert fakes.contexts["shop/home.html"]["nav"]["unread"] is None


# --- the seller portal ----------------------------------------------------------------------

SHOP = {"id": "shop-1", "name": "Mara's Books", "slug": "maras", "signature": "Mara"}


def _seller_answers(fakes: FakeServices) -> None:
    fakes.on("GET", "/shops/mine", {"shops": [SHOP]})
    fakes.on("GET", "/conversations/unread", {"shopper": 0, "shops": {"shop-1": 4}})
    fakes.on("GET", "/wants/matches/unread", {"unread": 0})


def test_the_dashboard_gathers_orders_stock_and_messages_at_once(ada, fakes):
    _seller_answers(fakes)
    pending, shipped = a_shop_order("so-1"), a_shop_order("so-2", status="shipped")
    fakes.on("GET", "/shops/shop-1/orders", {"orders": [shipped, pending]})
    fakes.down("GET", "/shops/shop-1/listings")
    threads = {"conversations": [], "total": 0, "page": 1, "per_page": 5}
    fakes.on("GET", "/shops/shop-1/conversations", threads)

    response = ada.get("/sell/")

    assert response.status_code == 200, text(response)[:300]
    context = fakes.contexts["sell/dashboard.html"]
    assert [order["id"] for order in context["waiting"]] == ["so-1"]
    assert [order["id"] for order in context["recent"]] == ["so-2"]
    assert context["recent_threads"] == threads
    # The listings' part is said missing; the rest of the dashboard shows.
    assert context["missing"] == ["your stock", "your latest listings"]
    assert context["nav"]["shop_unread"] == {"shop-1": 4}
    assert [shop["id"] for shop in context["nav"]["my_shops"]] == ["shop-1"]
    assert 'id="portal-messages-unread"' in text(response)
    assert [call for call in fakes.calls if call.while_rendering] == []


def test_the_dashboard_of_a_new_shop_says_what_is_empty(ada, fakes):
    _seller_answers(fakes)
    fakes.on("GET", "/shops/shop-1/orders", {"orders": []})
    fakes.on("GET", "/shops/shop-1/listings", shop_listings())
    fakes.on("GET", "/shops/shop-1/conversations", {"conversations": [], "total": 0})

    page = text(ada.get("/sell/"))

    assert "No order is waiting for an answer." in page
    assert "No orders yet." in page
    assert 'id="quick-links"' in page and 'href="/sell/settings"' in page
    assert 'id="page-missing"' not in page


def test_the_dashboard_lists_the_listings_running_low(ada, fakes):
    _seller_answers(fakes)
    fakes.on("GET", "/shops/shop-1/orders", {"orders": []})
    stock = [a_shop_listing("Sold out", 0), a_shop_listing("Last copy", 1)]
    fakes.on("GET", "/shops/shop-1/listings", shop_listings(*stock, a_shop_listing("Plenty", 5)))

    page = text(ada.get("/sell/"))

    assert [item["title"] for item in fakes.contexts["sell/dashboard.html"]["low_stock"]] == [
        "Sold out",
        "Last copy",
    ]
    low_stock = page[page.index('id="low-stock"') : page.index("quick-links-heading")]
    assert "Last copy" in low_stock and "Sold out" in low_stock
    assert "Plenty" not in low_stock


def test_portal_pages_need_a_login(app):
    visitor = app.test_client()

    for page in ("/sell/listings", "/sell/uploads", "/sell/settings", "/sell/statement"):
        response = visitor.get(page)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=/sell/")


def test_the_seller_order_page_holds_the_thread_with_the_buyer(ada, fakes):
    _seller_answers(fakes)
    order = a_shop_order("so-1", status="accepted")
    fakes.on("GET", "/shops/shop-1/orders/so-1", order)
    thread = a_shop_part_thread(order)
    fakes.on("GET", "/shops/shop-1/orders/so-1/conversation", thread)

    response = ada.get("/sell/orders/so-1")

    assert response.status_code == 200, text(response)[:300]
    context = fakes.contexts["sell/order.html"]
    assert context["order_thread"] == thread
    assert context["order_message_form"].text.label.text == "Write to the buyer"
    assert "No messages about this order yet." in text(response)


# Callables some views pass in their context (a form class, formatting helpers).
PASSED_BY_VIEWS = {"form", "week_label", "country_name"}


def _defined(tree) -> set[str]:  # noqa: ANN001 - a parsed template
    """The names a template defines or imports: its macros, imports, sets and loop names."""
    from jinja2 import nodes

    found = {macro.name for macro in tree.find_all(nodes.Macro)}
    for imported in tree.find_all(nodes.FromImport):
        found |= {alias if isinstance(alias, str) else alias[1] for alias in imported.names}
    for assigned in (*tree.find_all(nodes.Assign), *tree.find_all(nodes.For)):
        target = assigned.target
        names = [target, *target.find_all(nodes.Name)]
        found |= {name.name for name in names if isinstance(name, nodes.Name)}
    return found


def test_every_function_a_template_calls_is_a_global_or_defined_by_the_templates(app: Flask):
    """A template calling a global that was taken away fails only when that branch renders;
    this finds it at once. (Partials see the names their including pages import, so a
    name any template defines counts.)"""
    from jinja2 import nodes

    env = app.jinja_env
    trees = {
        str(path.relative_to(TEMPLATES)): env.parse(path.read_text())
        for path in sorted(TEMPLATES.rglob("*.html"))
    }
    known = set(env.globals) | PASSED_BY_VIEWS | {"caller", "super", "self", "loop"}
    for tree in trees.values():
        known |= _defined(tree)
    unknown = [
        f"{name}: {call.node.name}()"
        for name, tree in trees.items()
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name not in known
    ]

    assert unknown == []


# --- the people one follows, on the search page --------------------------------------------


def _hit(n: int) -> dict:
    return {
        "listing_id": f"listing-{n}",
        "shop_id": f"shop-{n}",
        "shop_name": f"Shop {n}",
        "title": f"Book {n}",
        "price": {"amount": 1000, "currency": "EUR"},
    }


def test_the_search_page_asks_once_who_of_the_followed_bought_at_all_its_shops(app, fakes, ada):
    from gateway import people_services

    ben = app.test_client()
    assert sign_up(ben, email="ben@example.org", display_name="Ben").status_code == 302
    with app.extensions["runtime"].session_factory() as session:
        ids = dict(session.execute(select(User.email, User.id)).all())
        people_services.ask_to_follow(
            session, follower_id=ids["ada@example.org"], email="ben@example.org"
        )
        (request,) = people_services.overview(session, ids["ben@example.org"]).requests_in
        people_services.accept(session, user_id=ids["ben@example.org"], follow_id=request.id)
    fakes.on("GET", "/shops/mine", {"shops": []})
    fakes.on("GET", "/search", {"hits": [_hit(n) for n in (1, 2, 3)], "total": 3, "page": 1})
    asked: list[dict] = []

    def buyers(options: dict) -> dict:
        asked.append(options["json"])
        return {"shops": {"shop-2": {"user_ids": [ids["ben@example.org"]], "reviews": []}}}

    fakes.on("POST", "/buyers-among", buyers)

    html = text(ada.get("/search", query_string={"q": "book"}))

    assert asked == [
        {"shop_ids": ["shop-1", "shop-2", "shop-3"], "user_ids": [ids["ben@example.org"]]}
    ]
    followed = fakes.contexts["shop/search.html"]["followed"]
    assert [person.display_name for person in followed.buyers("shop-2")] == ["Ben"]
    assert followed.buyers("shop-1") == []
    assert html.count("Bought from by 1 person you follow") == 1


def test_the_report_a_problem_page_shows_the_part(ada, fakes):
    order = an_order(shops=2)
    order_page_answers(fakes, order)

    response = ada.get(f"/orders/{order['id']}/parts/part-2/problem")

    assert response.status_code == 200
    context = fakes.contexts["aftersale/report.html"]
    assert context["part"]["shop_order_id"] == "part-2"
    assert "Report a problem with your order from Shop 2" in text(response)


# --- a shop's public page -------------------------------------------------------------------


def test_a_shop_page_shows_its_listings_while_reviews_and_policies_are_down(app, fakes):
    shop = {"id": "shop-1", "slug": "maras-books", "name": "Mara's Books", "country": "NL"}
    fakes.on("GET", "/shops/maras-books", shop, service="catalog")
    fakes.down("GET", "/shops/shop-1", service="shops")
    fakes.down("GET", "/shops/shop-1/reviews")
    fakes.on("GET", "/search", {"hits": [_hit(1)], "total": 1, "page": 1})

    response = app.test_client().get("/shops/maras-books")

    assert response.status_code == 200
    context = fakes.contexts["reviews/shop.html"]
    assert [hit["listing_id"] for hit in context["hits"]] == ["listing-1"]
    assert context["reviews"] is None and context["policies"] is None
    assert context["missing"] == ["the shop's reviews", "the shop's policies"]
    html = text(response)
    assert "Reviews cannot be shown right now." in html and "Book 1" in html
    assert [call for call in fakes.calls if call.while_rendering] == []
