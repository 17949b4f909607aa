"""The documented sandbox example runs against a real shops service and does what it says."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from werkzeug.serving import make_server

from services.common.settings import REPO_ROOT
from tests.shops.conftest import order_placed
from tests.shops.public_api.conftest import item, token_shop

pytestmark = pytest.mark.integration


@pytest.fixture
def served(shops):
    """The shops app on a real port, as the example's requests need."""
    server = make_server("127.0.0.1", 0, shops.client.application, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/api/v1"
    server.shutdown()


def test_the_sandbox_lists_restocks_and_accepts_an_order(shops, served):
    shop = token_shop(shops, "Ada")
    shop.call("POST", "/listings", json=item("ROSE-1", quantity=2))
    listing = shop.call("GET", "/listings/ROSE-1").get_json()
    event = order_placed(shop.shop["id"], [(listing, 1)])
    shops.deliver(event)

    run = subprocess.run(
        [sys.executable, str(REPO_ROOT / "docs" / "sandbox.py")],
        env={"STOREFRONT_API": served, "STOREFRONT_TOKEN": shop.token["secret"]},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    assert "1 listings" in run.stdout
    assert "stock of ROSE-1 is now 2" in run.stdout  # 2, less 1 ordered, plus 1
    assert f"accepted order {event.shop_order_id}" in run.stdout
    assert "its payment: waiting; ready to ship: False" in run.stdout
    assert shop.call("GET", f"/orders/{event.shop_order_id}").get_json()["status"] == "accepted"
