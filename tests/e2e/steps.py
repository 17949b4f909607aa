"""The steps a person takes again and again in the browser tests: sign up, open a shop, list
a book, find it, buy it, open the order in the portal; and a seller speaking to the shops
API directly, for tests that spend their time on the shopper's side."""

from __future__ import annotations

import json
import re
import time
import uuid

import requests
from playwright.sync_api import Page, expect

from services.common.auth import Principal, issue_token

PASSWORD = "correct horse battery"
SHOP_NAME = "Hale's Second-hand Books"
SIGNATURE = "Margaret, at Hale's"
TEST_CARD = "4242 4242 4242 4242"


def sign_up(page: Page, base: str, email: str, name: str) -> None:
    """Sign up and follow the link mailed to confirm the address, which logs in."""
    page.goto(f"{base}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    page.goto(mailed_link(base, "verify_email", email))
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def mailed_link(base: str, kind: str, email: str, timeout: float = 15) -> str:
    """The link of the newest account mail of `kind` to `email`, as the gateway staged it
    in its outbox (the notifications service mails it; its tests read the mail itself)."""
    from sqlalchemy import create_engine, select

    from gateway.db import OutboxMessage
    from services.common.db import normalize_url
    from tests.e2e.system import RUNNING

    engine = create_engine(normalize_url(RUNNING[base].database_url("gateway")))
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as connection:
                bodies = connection.scalars(
                    select(OutboxMessage.body)
                    .where(OutboxMessage.event_type == "account.notice")
                    .order_by(OutboxMessage.seq.desc())
                ).all()
            for body in bodies:
                notice = json.loads(body)["payload"]
                if notice["kind"] == kind and notice["email"] == email.lower():
                    return notice["link"]
            if time.monotonic() > deadline:
                raise AssertionError(f"no {kind} mail to {email}")
            time.sleep(0.2)
    finally:
        engine.dispose()


def mail_to(system, to: str, subject: str | re.Pattern, timeout: float = 30) -> str:  # noqa: ANN001
    """The plain-text body of the newest mail to `to` whose subject matches, as the
    Procfile's mail catcher kept it under DATA_DIR/mail: the mail really went through the
    notifications service and SMTP."""
    import email
    from email.policy import default as default_policy
    from pathlib import Path

    folder = Path(system.env["DATA_DIR"]) / "mail"
    pattern = re.compile(re.escape(subject)) if isinstance(subject, str) else subject
    deadline = time.monotonic() + timeout
    while True:
        for path in sorted(folder.glob("*.eml"), reverse=True) if folder.exists() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
            if to.lower() in str(message["To"]).lower() and pattern.search(str(message["Subject"])):
                return message.get_body(preferencelist=("plain",)).get_content()
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {to} matching {pattern.pattern!r}")
        time.sleep(0.3)


def link_in(body: str, base: str) -> str:
    """The first link into the storefront that a mail holds."""
    found = re.search(re.escape(base) + r"[^\s>\])]*", body)
    assert found, f"no link to {base} in the mail:\n{body}"
    return found.group(0)


def reload_until(page: Page, text: str | re.Pattern, timeout: float = 30) -> None:
    """Events travel asynchronously: reload until the page shows `text`."""
    deadline = time.monotonic() + timeout
    while True:
        if page.get_by_text(text).count() > 0:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} did not appear on {page.url}")
        time.sleep(0.3)
        page.reload()


def open_shop(page: Page, base: str) -> None:
    """Margaret signs up and opens her shop; the page is left on the portal's dashboard."""
    sign_up(page, base, "margaret@example.com", "Margaret Hale")
    page.goto(f"{base}/sell/")
    page.get_by_label("Shop name").fill(SHOP_NAME)
    page.get_by_label("Signature").fill(SIGNATURE)
    page.get_by_role("button", name="Open shop").click()
    expect(page.get_by_role("heading", name=SHOP_NAME)).to_be_visible()


def list_item(
    page: Page, *, title: str, price: str, quantity: int = 1, author: str | None = None
) -> None:
    """From any portal page: list a book and see it in the inventory."""
    page.get_by_role("link", name="List an item").click()
    page.get_by_label("Title").fill(title)
    if author:
        page.get_by_label("Author").fill(author)
    page.get_by_label("Price").fill(price)
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="List item").click()
    expect(page.get_by_role("cell", name=title, exact=True)).to_be_visible()


def find_listing(page: Page, base: str, *, query: str, title: str) -> str:
    """Search until the catalog has the listing, open it; return its address."""
    page.goto(f"{base}/search?q={query}")
    reload_until(page, title)
    page.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    return page.url


def fill_address(page: Page, *, name: str, street: str, city: str, postal_code: str) -> None:
    """The delivery address's fields of the checkout or address book form."""
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Street and number").fill(street)
    page.get_by_label("City or town").fill(city)
    page.get_by_label("Postal code").fill(postal_code)


def fill_checkout(page: Page, *, name: str = "Rosa Dartle") -> None:
    """On the checkout page: the address and the card that always succeeds."""
    fill_address(
        page, name=name, street="12 Milton Street", city="Manchester", postal_code="M1 1AE"
    )
    page.get_by_label("Country").select_option("GB")
    page.get_by_label("Card number").fill(TEST_CARD)


def buy(page: Page, base: str, listing_url: str, *, title: str = "North and South") -> str:
    """Add the listing to the cart and check out; return the order page's address."""
    page.goto(listing_url)
    page.get_by_role("button", name="Add to cart").click()
    page.goto(f"{base}/cart")
    page.get_by_role("link", name="Checkout").click()
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text(title)).to_be_visible()
    return page.url


def open_order_in_portal(page: Page, base: str, *, customer: str) -> None:
    """The seller waits on the dashboard for the customer's order, then opens it."""
    page.goto(f"{base}/sell/")
    reload_until(page, customer)
    page.get_by_role("row", name=re.compile(customer)).get_by_role(
        "link", name="Open order"
    ).click()


RATES = {
    "domestic_first": {"amount": 300, "currency": "EUR"},
    "domestic_additional": {"amount": 100, "currency": "EUR"},
    "international_first": {"amount": 900, "currency": "EUR"},
    "international_additional": {"amount": 200, "currency": "EUR"},
}


class ShopApi:
    """One seller speaking to the shops service directly."""

    def __init__(self, system, name: str, country: str = "NL") -> None:  # noqa: ANN001
        self.base = system.url("shops")
        self.secret = system.env["SERVICE_TOKEN_SECRET"]
        self.user_id = str(uuid.uuid4())
        body = {
            "name": name,
            "signature": f"Love, {name}",
            "country": country,
            "about": f"{name} has sold second-hand books since 1987.",
        }
        self.shop = self._send("POST", "/shops", body, shops=())
        self._send("PATCH", f"/shops/{self.shop['id']}", {"shipping": RATES})

    def _send(self, method: str, path: str, body: dict | None = None, *, shops=None) -> dict:  # noqa: ANN001
        shop_ids = (self.shop["id"],) if shops is None else shops
        token = issue_token(
            Principal(self.user_id, "Seller", frozenset(shop_ids)), secret=self.secret
        )
        response = requests.request(
            method,
            self.base + path,
            json=body,
            timeout=10,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code < 300, response.text
        return response.json()

    def list(self, title: str, author: str, cents: int, **fields: object) -> dict:
        body = {
            "title": title,
            "author": author,
            "condition": "good",
            "quantity": 3,
            "price": {"amount": cents, "currency": "EUR"},
            **fields,
        }
        return self._send("POST", f"/shops/{self.shop['id']}/listings", body)

    def orders(self) -> list[dict]:
        return self._send("GET", f"/shops/{self.shop['id']}/orders")["orders"]
