"""The shopper of the shop pages' tests: signed in, every service a fake."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.gateway.fakes import FakeServices
from tests.gateway.helpers import sign_up
from tests.gateway.shop.fakes_storefront import shopper_answers


@pytest.fixture
def ben(app: Flask, fakes: FakeServices) -> FlaskClient:
    """Ben, signed in, with no shop, no order yet and nothing unread; what signing up asked
    of the services is forgotten, so a test sees only its own calls."""
    client = app.test_client()
    assert sign_up(client, email="ben@example.org", display_name="Ben Buyer").status_code == 302
    shopper_answers(fakes)
    fakes.forget_calls()
    return client
