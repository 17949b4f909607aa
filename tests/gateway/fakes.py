"""Fake services for page tests: the gateway's real client classes, whose one call (`_call`)
is answered here from canned answers instead of over HTTP.

A fake is therefore the real client's interface by construction: same methods, same paths,
same parameters. What it cannot promise is that the canned answers look like the services'
own; tests/gateway/test_fakes_contract.py asks the live services the same calls and checks
every key a canned answer has is in theirs.

Every call is recorded, with whether a template was rendering at the time: a page test can
count a page's calls and check that no template asked a service.
"""

from __future__ import annotations

import copy
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, before_render_template, template_rendered

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.identity import CLIENT_FACTORY

Answer = Any  # a JSON body, an exception to raise, or a callable of the call's options


@dataclass(frozen=True)
class Call:
    service: str
    method: str
    path: str
    while_rendering: bool
    # What the client passed on: json=, params=, data=, files=.
    options: dict = field(default_factory=dict, compare=False)

    @property
    def json(self) -> Any:
        return self.options.get("json")


class FakeServices:
    def __init__(self) -> None:
        # (service or None for any, method, path) -> answer
        self.answers: dict[tuple[str | None, str, str], Answer] = {}
        self.calls: list[Call] = []
        self.contexts: dict[str, dict] = {}  # the context each template was rendered with
        self._lock = threading.Lock()
        self._rendering = 0

    def install(self, app: Flask) -> FakeServices:
        app.extensions[CLIENT_FACTORY] = self.client
        before_render_template.connect(self._render_starts, app, weak=False)
        template_rendered.connect(self._render_ends, app, weak=False)
        return self

    def on(self, method: str, path: str, answer: Answer, *, service: str | None = None) -> None:
        """Answer `method path`; `service` ("shops", "catalog", "orders") when two services
        serve the same path (a shop by id from the shops service and the catalog)."""
        self.answers[(service, method, path)] = answer

    def down(self, method: str, path: str, *, service: str | None = None) -> None:
        self.on(method, path, ServiceUnavailable("fake", "down for this test"), service=service)

    def client(self, cls: type, base_url: str, token: str | None) -> Any:
        fake = cls(base_url, token=token, timeout=1.0)
        fake._call = lambda method, path, **options: self._answer(
            cls.service, method, path, options
        )
        return fake

    def forget_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    def paths(self) -> list[str]:
        return sorted(f"{call.method} {call.path}" for call in self.calls)

    def sent(self, method: str, path: str) -> list[Any]:
        """The JSON bodies sent with `method path`, oldest first: what a form made the
        gateway ask of a service."""
        return [c.json for c in self.calls if (c.method, c.path) == (method, path)]

    def asked(self, method: str, path: str) -> list[Call]:
        return [c for c in self.calls if (c.method, c.path) == (method, path)]

    def writes(self) -> list[str]:
        """Every call that could change something (not a GET), as `METHOD path`."""
        return [f"{c.method} {c.path}" for c in self.calls if c.method != "GET"]

    def _answer(self, service: str, method: str, path: str, options: dict) -> Any:
        with self._lock:
            self.calls.append(Call(service, method, path, self._rendering > 0, dict(options)))
        answer = self.answers.get((service, method, path), self.answers.get((None, method, path)))
        if answer is None:
            # What no test set up behaves as a service that is down.
            raise ServiceUnavailable(service, f"no fake answer for {method} {path}")
        if isinstance(answer, (ServiceError, ServiceUnavailable)):
            raise answer
        if callable(answer):
            return answer(options)
        return copy.deepcopy(answer)

    def _render_starts(self, _app: Flask, template: Any, context: dict, **_: Any) -> None:
        self._rendering += 1

    def _render_ends(self, _app: Flask, template: Any, context: dict, **_: Any) -> None:
        self._rendering -= 1
        self.contexts[template.name] = dict(context)


# --- canned answers, shaped as the services answer (kept honest by the contract test) -----


def money(amount: int, currency: str = "EUR") -> dict:
    return {"amount": amount, "currency": currency}


def an_order(order_id: str = "order-1", *, shops: int = 1, status: str = "shipped") -> dict:
    parts = [
        {
            "shop_order_id": f"part-{n}",
            "shop_id": f"shop-{n}",
            "shop_name": f"Shop {n}",
            "status": status,
            "lines": [
                {
                    "listing_id": f"listing-{n}",
                    "title": f"Book {n}",
                    "quantity": 1,
                    "unit_price": money(1000),
                }
            ],
            "subtotal": money(1000),
            "shipping": money(300),
            "extra": money(0),
            "total": money(1300),
            "note": None,
            "carrier": None,
            "tracking_number": None,
            "extra_charges": [],
            "cancellation_requested": False,
            "can_cancel": False,
            "can_mark_received": False,
        }
        for n in range(1, shops + 1)
    ]
    return {
        "id": order_id,
        "placed_at": "2026-12-01T10:00:00+00:00",
        "total": money(1300 * shops),
        "shipping_name": "Ada Lovelace",
        "country": "NL",
        "delivery_address": None,
        "address_erased": False,
        "payment": {"card_last4": "4242", "authorized": money(1300 * shops)},
        "parts": parts,
    }


def part_threads(order: dict, *, written: dict[str, str] | None = None) -> dict:
    """The order's threads; `written` gives some parts (by id) one message from the shop."""
    written = written or {}
    return {
        "order_id": order["id"],
        "parts": [
            {
                "order_id": order["id"],
                "shop_order_id": part["shop_order_id"],
                "conversation": _thread(part, written[part["shop_order_id"]])
                if part["shop_order_id"] in written
                else None,
            }
            for part in order["parts"]
        ],
    }


_message_ids = itertools.count(1)


def _thread(part: dict, text: str) -> dict:
    return {
        "id": f"thread-{part['shop_order_id']}",
        "topic": "order",
        "shop_id": part["shop_id"],
        "shop_name": part["shop_name"],
        "shopper_name": "Ada Lovelace",
        "shop_order_id": part["shop_order_id"],
        "subject": "Book",
        "messages": [
            {
                "id": next(_message_ids),  # the service counts its messages
                "author_side": "shop",
                "author_name": part["shop_name"],
                "text": text,
                "created_at": "2026-12-01T11:00:00+00:00",
            }
        ],
    }


def a_thread(text: str = "Is the dust jacket intact?", *, part: dict | None = None) -> dict:
    """A conversation with one message, as either side reads it (GET /conversations/<id>);
    about an order part unless `part` is None and it is a question about a listing."""
    part = part or an_order()["parts"][0]
    return _thread(part, text)


def a_review(part: dict, rating: int = 5) -> dict:
    return {
        "id": f"review-{part['shop_order_id']}",
        "reviewer_name": "Ada Lovelace",
        "rating": rating,
        "text": "Well wrapped.",
        "posted_at": "2026-12-02T10:00:00+00:00",
        "answer": None,
        "shop_order_id": part["shop_order_id"],
        "shop_id": part["shop_id"],
    }


def a_shop_order(
    shop_order_id: str = "so-1", *, shop_id: str = "shop-1", status: str = "pending"
) -> dict:
    """A shop's part of an order as the shops service answers the shop's members."""
    return {
        "id": shop_order_id,
        "order_id": "order-1",
        "shop_id": shop_id,
        "buyer": {"user_id": "ben", "name": "Ben Buyer"},
        "lines": [
            {"listing_id": "listing-1", "title": "Book 1", "quantity": 1, "unit_price": money(700)}
        ],
        "subtotal": money(700),
        "shipping": money(300),
        "status": status,
        "placed_at": "2026-12-01T10:00:00+00:00",
        "respond_by": "2026-12-03T10:00:00+00:00",
        "note": None,
        "carrier": None,
        "tracking_number": None,
    }


def a_shop_part_thread(shop_order: dict) -> dict:
    return {
        "order_id": shop_order["order_id"],
        "shop_order_id": shop_order["id"],
        "conversation": None,
    }


def a_listing(listing_id: str = "listing-1", *, shop_id: str = "shop-1") -> dict:
    """A listing as the catalog shows it on its page (work_id None: no other offers asked)."""
    return {
        "listing_id": listing_id,
        "work_id": None,
        "shop_id": shop_id,
        "shop_name": "Mara's Books",
        "shop_country": "NL",
        "title": "Villette",
        "author": "Charlotte Bronte",
        "isbn": None,
        "binding": None,
        "categories": [],
        "condition": "very_good",
        "price": money(1250),
        "quantity": 3,
        "created_at": "2026-12-01T10:00:00+00:00",
        "cover": None,
        "shop_rating": None,
        "shop_reviews": 0,
        "offers_count": 1,
        "description": "A winter journey.",
        "photos": [],
        "images": [],
        "shop": {
            "id": shop_id,
            "slug": "maras-books",
            "name": "Mara's Books",
            "signature": "Mara",
            "country": "NL",
            "logo": None,
            "reputation": {"average": None, "count": 0, "positive_share": None},
        },
    }


def a_shop_listing(title: str, quantity: int, *, shop_id: str = "shop-1") -> dict:
    """One of the shop's own listings, as its inventory pages read them."""
    return {
        "id": f"listing-{title.lower().replace(' ', '-')}",
        "shop_id": shop_id,
        "title": title,
        "author": None,
        "condition": "good",
        "price": money(1000),
        "quantity": quantity,
        "created_at": "2026-12-01T10:00:00+00:00",
        "updated_at": "2026-12-01T10:00:00+00:00",
    }


def shop_listings(*listings: dict) -> dict:
    return {"listings": list(listings), "total": len(listings), "page": 1, "per_page": 20}


UNREAD_NONE = {"shopper": 0, "shops": {}}


def a_shop(shop_id: str = "shop-1", **overrides: Any) -> dict:
    """A shop as the shops service answers its members (GET /shops/mine, /shops/<id>)."""

    def service(first: int = 450) -> dict:
        return {
            "code": "standard",
            "name": "Standard",
            "first": first,
            "additional": 0,
            "days_min": None,
            "days_max": None,
        }

    def region(group: str, name: str, first: int) -> dict:
        return {
            "group": group,
            "name": name,
            "countries": [],
            "free_over": None,
            "services": [service(first)],
        }

    shop = {
        "id": shop_id,
        "name": "Mara's Books",
        "slug": "maras-books",
        "signature": "Mara",
        "country": "NL",
        "currency": "EUR",
        "about": "",
        "logo": None,
        "banner": None,
        "location": None,
        "on_vacation": False,
        "suspended": False,
        "suspension": None,
        "revision": 1,
        "created_at": "2026-12-01T10:00:00+00:00",
        "order_handling": {"mode": "manual", "response_hours": 48},
        "policies": {"returns": "", "shipping_times": ""},
        "shipping": {
            "domestic_first": money(450),
            "domestic_additional": money(0),
            "international_first": money(1200),
            "international_additional": money(0),
            "free_over": None,
            "profile": {
                "currency": "EUR",
                "excluded": [],
                "pickup": False,
                "regions": [
                    region("home", "The shop's own country", 450),
                    region("world", "Rest of the world", 1200),
                ],
            },
        },
    }
    return shop | overrides


def a_want(want_id: str = "want-1", **fields: Any) -> dict:
    """A saved want as the catalog lists it (GET /wants)."""
    want = {
        "id": want_id,
        "isbn": None,
        "words": "left hand darkness",
        "condition_at_least": None,
        "binding": None,
        "first_edition": False,
        "ships_to": None,
        "max_price": None,
        "created_at": "2026-12-01T10:00:00+00:00",
    }
    return want | fields


def a_want_match(match_id: str = "match-1", *, read: bool = False, **fields: Any) -> dict:
    """A listing that matched a want (GET /wants/matches)."""
    match = {
        "id": match_id,
        "want_id": "want-1",
        "listing_id": "listing-1",
        "title": "The Left Hand of Darkness",
        "shop_id": "shop-1",
        "shop_name": "Mara's Books",
        "price": money(1250),
        "matched_at": "2026-12-02T10:00:00+00:00",
        "read": read,
    }
    return match | fields


def seller_answers(fakes: FakeServices, *shops: dict) -> None:
    """What every portal page asks first: the person's shops and the menu's counts."""
    fakes.on("GET", "/shops/mine", {"shops": list(shops or (a_shop(),))})
    fakes.on("GET", "/conversations/unread", UNREAD_NONE)
    fakes.on("GET", "/wants/matches/unread", {"unread": 0})


def order_page_answers(fakes: FakeServices, order: dict) -> None:
    """Everything the buyer's order page asks, answered."""
    order_id = order["id"]
    fakes.on("GET", "/shops/mine", {"shops": []})
    fakes.on("GET", f"/orders/{order_id}", order)
    fakes.on("GET", f"/orders/{order_id}/conversations", part_threads(order))
    fakes.on("GET", f"/orders/{order_id}/reviews", {"order_id": order_id, "reviews": []})
    fakes.on("GET", "/covers", {"covers": {}})
    fakes.on("GET", f"/orders/{order_id}/aftersale", {"order_id": order_id, "parts": {}})
    fakes.on("GET", "/conversations/unread", UNREAD_NONE)
    fakes.on("GET", "/wants/matches/unread", {"unread": 0})
