"""The operator's command line for parked messages, through services.common.manage."""

from __future__ import annotations

import pytest

from services.common import manage
from services.shops.db import ParkedMessage
from tests.shops.conftest import build_service

pytestmark = pytest.mark.integration


def test_dead_letters_lists_shows_and_refuses_what_it_cannot_do(
    database_url, amqp_prefix, monkeypatch, capsys
):
    service = build_service(database_url, amqp_prefix=amqp_prefix)
    monkeypatch.setenv("SHOPS_DATABASE_URL", database_url)
    monkeypatch.setenv("AMQP_PREFIX", amqp_prefix)

    manage.main(["shops", "dead-letters", "list"])
    assert capsys.readouterr().out.strip() == "nothing parked or dead-lettered"

    with service.runtime.session_factory.begin() as session:
        session.add(
            ParkedMessage(
                id="0f8c3c1e-0000-4000-8000-000000000001",
                consumer="shops",
                reason="parked",
                event_type="order.placed",
                routing_key="order.placed.s1",
                body='{"payload": {}}',
                headers="{}",
                error="RuntimeError: the shop is gone",
                failures=5,
            )
        )
    manage.main(["shops", "dead-letters", "list"])
    listed = capsys.readouterr().out
    assert "0f8c3c1e-0000-4000-8000-000000000001  parked  order.placed  5" in listed
    assert "RuntimeError: the shop is gone" in listed
    manage.main(["shops", "dead-letters", "show", "0f8c3c1e-0000-4000-8000-000000000001"])
    assert '"error": "RuntimeError: the shop is gone"' in capsys.readouterr().out

    for words, says in (
        (["shops", "dead-letters", "show", "nope"], "no parked message 'nope'"),
        (["shops", "dead-letters", "replay"], "replay needs a message id or --all"),
        (["gateway", "dead-letters", "list"], "dead-letters is per consuming service"),
    ):
        with pytest.raises(SystemExit, match=says):
            manage.main(words)
    service.runtime.engine.dispose()
