"""The notifications API's OpenAPI document, checked against the service with schemathesis."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import support
from tests.notifications.conftest import build_notifications

pytestmark = pytest.mark.integration

EXAMPLES = 8


@pytest.fixture
def notifications_schema(tmp_path, request):
    built = build_notifications(f"sqlite:///{tmp_path / 'notifications.db'}")
    request.addfinalizer(built.runtime.engine.dispose)
    return schemathesis.openapi.from_wsgi("/openapi.json", built.client.application)


schema = schemathesis.pytest.from_fixture("notifications_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_notifications_keep_their_document(case):
    case.call_and_validate(
        headers=support.auth_header("ada", "Ada"),
        checks=[not_a_server_error, response_schema_conformance],
    )
