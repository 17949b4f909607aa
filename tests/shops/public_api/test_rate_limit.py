"""The public API's limit counts per token and answers 429 with Retry-After."""

from __future__ import annotations

import pytest

from services.shops.app import create_app
from services.shops.bootstrap import bootstrap
from services.shops.config import Settings
from tests import support
from tests.shops.conftest import ShopsService
from tests.shops.public_api.conftest import token_shop

pytestmark = pytest.mark.integration


@pytest.fixture
def limited_shops(migrated_url):
    settings = Settings(
        database_url=migrated_url,
        amqp_url=support.AMQP_URL,
        amqp_prefix="shops-unused",
        service_token_secret=support.SECRET,
        public_api_rate_limit="3/minute",
    )
    runtime = bootstrap(settings)
    yield ShopsService(runtime=runtime, client=create_app(runtime).test_client())
    runtime.engine.dispose()


def test_a_token_past_its_limit_gets_429_with_retry_after(limited_shops):
    busy, calm = token_shop(limited_shops, "Ada"), token_shop(limited_shops, "Bea")
    for _ in range(3):
        assert busy.call("GET", "/listings").status_code == 200
    refused = busy.call("GET", "/listings")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.mimetype == "application/problem+json"
    # Another shop's token has its own count.
    assert calm.call("GET", "/listings").status_code == 200
    # The private API the gateway calls is not limited by the public one's counts.
    owner = busy.owner.headers()
    assert limited_shops.client.get("/shops/mine", headers=owner).status_code == 200
