"""Fill a running storefront with demo sellers, their shops and a few hundred listings.

The sellers' accounts go into the gateway's database; shops and listings go through the
shops service's API, so every listing reaches the catalog the normal way, as events.
Running it again changes nothing.

    python -m scripts.seed_demo [--listings 300]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import requests

from gateway.account_services import EmailTaken, create_user
from gateway.bootstrap import bootstrap as gateway_bootstrap
from gateway.db import User
from scripts import demo_photos
from scripts.demo_data import DEMO_PASSWORD, DEMO_SHOPS, DemoShop, books
from services.common.auth import Principal, issue_token
from services.common.settings import CommonSettings

SERVICES = {
    "shops": os.environ.get("SHOPS_URL", "http://127.0.0.1:8001"),
    "catalog": os.environ.get("CATALOG_URL", "http://127.0.0.1:8002"),
    "orders": os.environ.get("ORDERS_URL", "http://127.0.0.1:8003"),
}


def wait_until_ready(timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    for name, url in SERVICES.items():
        while True:
            try:
                if requests.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass  # still starting
            if time.monotonic() > deadline:
                sys.exit(f"the {name} service at {url} is not ready; see its log")
            time.sleep(0.5)


def demo_user_ids() -> dict[str, tuple[str, str]]:
    """Create the demo sellers' accounts (once); return email -> (user id, name)."""
    runtime = gateway_bootstrap()
    users = {}
    with runtime.session_factory() as session:
        for shop in DEMO_SHOPS:
            try:
                # The documented demo password predates the strength rule; the demo
                # addresses are the platform's own, so they count as confirmed.
                create_user(
                    session,
                    shop.owner_email,
                    shop.owner_name,
                    DEMO_PASSWORD,
                    check_strength=False,
                    email_verified=True,
                )
            except EmailTaken:
                session.rollback()
            user = session.query(User).filter_by(email=shop.owner_email).one()
            users[shop.owner_email] = (user.id, user.display_name)
        demo_operator(session)
    return users


DEMO_OPERATOR = "operator@example.com"


def demo_operator(session) -> None:  # noqa: ANN001 - a gateway session
    """The platform's demo operator (pages at /admin/), made once; elsewhere an operator
    is made with `manage gateway create-operator`, whose password rules the demo's predates."""
    if session.query(User).filter_by(email=DEMO_OPERATOR).one_or_none() is not None:
        return
    create_user(
        session,
        DEMO_OPERATOR,
        "Platform operator",
        DEMO_PASSWORD,
        check_strength=False,
        email_verified=True,
    )
    session.query(User).filter_by(email=DEMO_OPERATOR).update({"is_operator": True})
    session.commit()


def call(method: str, path: str, principal: Principal, secret: str, **kwargs) -> dict:
    token = issue_token(principal, secret=secret)
    response = requests.request(
        method,
        SERVICES["shops"] + path,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
        **kwargs,
    )
    if response.status_code >= 400:
        sys.exit(f"{method} {path} answered {response.status_code}: {response.text[:300]}")
    return response.json()


def set_rates(shop_id: str, shop: DemoShop, principal: Principal, secret: str) -> None:
    """The demo shop's shipping rates and town; setting the same ones again changes nothing."""
    current = call("GET", f"/shops/{shop_id}", principal, secret)
    wanted = shop.rates.as_patch()
    if {name: current["shipping"].get(name) for name in wanted} != wanted:
        call("PATCH", f"/shops/{shop_id}", principal, secret, json={"shipping": wanted})
    if shop.town and (current.get("location") or {}).get("town") != shop.town:
        location = {"town": shop.town}
        call("PATCH", f"/shops/{shop_id}", principal, secret, json={"location": location})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=300)
    args = parser.parse_args()
    secret = CommonSettings().service_token_secret

    wait_until_ready()
    users = demo_user_ids()
    inventory = list(books(args.listings))
    per_shop = -(-len(inventory) // len(DEMO_SHOPS))
    created = 0
    for index, shop in enumerate(DEMO_SHOPS):
        user_id, name = users[shop.owner_email]
        principal = Principal(user_id, name)
        mine = call("GET", "/shops/mine", principal, secret)["shops"]
        if mine:
            # Seeded before, perhaps by a version without shipping rates: give it them.
            set_rates(mine[0]["id"], shop, principal, secret)
            continue
        opened = call(
            "POST",
            "/shops",
            principal,
            secret,
            json={
                "name": shop.name,
                "signature": shop.signature,
                "country": shop.country,
                "about": shop.about,
                "currency": "EUR",
            },
        )
        set_rates(opened["id"], shop, principal, secret)
        owner = Principal(user_id, name, frozenset({opened["id"]}))
        for which, draw in (("logo", demo_photos.logo), ("banner", demo_photos.banner)):
            image = draw(shop.name, seed=index)
            files = {"image": (f"{which}.png", image, "image/png")}
            call("PUT", f"/shops/{opened['id']}/{which}", owner, secret, files=files)
        for number, listing in enumerate(inventory[index * per_shop : (index + 1) * per_shop]):
            added = call("POST", f"/shops/{opened['id']}/listings", owner, secret, json=listing)
            picture = demo_photos.cover(listing["title"], listing.get("author"), seed=number)
            files = [("photos", ("cover.png", picture, "image/png"))]
            path = f"/shops/{opened['id']}/listings/{added['id']}/photos"
            call("POST", path, owner, secret, files=files, data={"alt": ["The cover"]})
            created += 1
    wait_until_searchable(created)
    print(f"demo data: {len(DEMO_SHOPS)} shops, {created} new listings")


def wait_until_searchable(count: int, timeout: float = 120) -> None:
    """Until the catalog shows the new listings, so the site is ready when its address is
    printed, and the catalog worker's work is not logged after it."""
    deadline = time.monotonic() + timeout
    while count and time.monotonic() < deadline:
        try:
            found = requests.get(f"{SERVICES['catalog']}/search", params={"per_page": 1}, timeout=5)
            if found.status_code == 200 and found.json().get("total", 0) >= count:
                return
        except requests.RequestException:
            pass  # the catalog is busy indexing; ask again
        time.sleep(0.5)


if __name__ == "__main__":
    main()
