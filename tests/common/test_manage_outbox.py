"""The operator's command line for events the broker kept refusing, through
services.common.manage."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from services.common import manage
from services.common.clock import utcnow
from services.shops.db import OutboxMessage
from tests.shops.conftest import build_service

pytestmark = pytest.mark.integration

EVENT_ID = "7c1e0b9a-0000-4000-8000-000000000001"


def test_outbox_stuck_lists_retries_and_refuses_what_it_cannot_do(
    database_url, amqp_prefix, monkeypatch, capsys
):
    service = build_service(database_url, amqp_prefix=amqp_prefix)
    monkeypatch.setenv("SHOPS_DATABASE_URL", database_url)

    manage.main(["shops", "outbox", "stuck", "list"])
    assert capsys.readouterr().out.strip() == "shops: no outbox event set aside"

    with service.runtime.session_factory.begin() as session:
        session.execute(
            insert(OutboxMessage.__table__),
            [
                {
                    "id": EVENT_ID,
                    "seq": 1,
                    "routing_key": "listing.upserted",
                    "event_type": "listing.upserted",
                    "body": "{}",
                    "created_at": utcnow(),
                    "attempts": 25,
                    "last_error": "UnroutableError: 312 NO_ROUTE",
                    "stuck_at": utcnow(),
                }
            ],
        )
    manage.main(["shops", "outbox", "stuck", "list"])
    listed = capsys.readouterr().out
    assert f"{EVENT_ID}  listing.upserted  listing.upserted  25" in listed
    assert "312 NO_ROUTE" in listed

    manage.main(["shops", "outbox", "stuck", "retry", "--all"])
    assert capsys.readouterr().out.strip() == "1 event(s) handed back to the relay"
    with service.runtime.session_factory() as session:
        row = session.get(OutboxMessage, EVENT_ID)
        assert row.stuck_at is None and row.attempts == 0 and row.sent_at is None

    for words, says in (
        (["shops", "outbox", "stuck", "retry"], "retry needs an event id or --all"),
        (["shops", "outbox", "stuck", "retry", "nope"], "no outbox event 'nope' set aside"),
        (["all", "outbox", "stuck", "list"], "outbox is per service"),
    ):
        with pytest.raises(SystemExit, match=says):
            manage.main(words)
    service.runtime.engine.dispose()
