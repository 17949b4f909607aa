"""A shops service that allows local receivers, real HTTP receivers, and the sender."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.shops.app import create_app
from services.shops.bootstrap import bootstrap
from services.shops.config import Settings
from services.shops.webhooks.sender import Sender
from tests import support
from tests.shops.conftest import ShopsService, make_seller, order_placed


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    """A webhook receiver on a port of this machine; `answer` decides each reply."""

    answer: Callable[[int], int] = lambda _n: 200
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.answer(len(receiver.received))
                receiver.received.append(Received(self.path, dict(self.headers), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def make(**options) -> Receiver:
        receiver = Receiver(**options).start()
        started.append(receiver)
        return receiver

    yield make
    for receiver in started:
        receiver.stop()


@pytest.fixture
def local_shops(migrated_url) -> Iterator[ShopsService]:
    settings = Settings(
        database_url=migrated_url,
        amqp_url=support.AMQP_URL,
        amqp_prefix="shops-unused",
        service_token_secret=support.SECRET,
        webhook_allow_local=True,
    )
    runtime = bootstrap(settings)
    yield ShopsService(runtime=runtime, client=create_app(runtime).test_client())
    runtime.engine.dispose()


def make_sender(service: ShopsService, **options) -> Sender:
    defaults = {
        "timeout": 3.0,
        "retry_base": timedelta(milliseconds=50),
        "give_up_after": timedelta(days=1),
        "allow_loopback": True,
        "threads": 4,
    }
    return Sender(service.runtime.session_factory, **(defaults | options))


def run_until(sender: Sender, done: Callable[[], bool], *, seconds: float = 10.0) -> float:
    """Turn the sender until `done()`; the seconds it took (fails the test past `seconds`)."""
    started = time.monotonic()
    while not done():
        assert time.monotonic() - started < seconds, "the deliveries did not arrive in time"
        if not sender.step():
            time.sleep(0.02)
    return time.monotonic() - started


@dataclass
class HookedShop:
    service: ShopsService
    shop: dict
    owner: object
    endpoint: dict

    def place_order(self):
        listing = self.service.add_listing(self.owner, self.shop["id"], quantity=5)
        event = order_placed(self.shop["id"], [(listing, 1)])
        assert self.service.deliver(event)
        return event


def hooked_shop(service: ShopsService, url: str, name: str = "Ada", events=None) -> HookedShop:
    owner = make_seller(name)
    shop = service.open_shop(owner, name=f"{name}'s books")
    response = service.client.post(
        f"/shops/{shop['id']}/webhooks",
        json={"url": url, "events": events or ["order.placed", "order.cancelled"]},
        headers=owner.headers(),
    )
    assert response.status_code == 201, response.get_json()
    return HookedShop(service, shop, owner, response.get_json())
