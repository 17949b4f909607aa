"""The probes of the processes that work from their database alone (the mail sender, the
webhook sender): live while their loop turns, ready while their database answers, and a
port already taken leaves the process running without them."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine

from services.common.messaging.health import serve_database_process_probes


def _probes(engine, last_turn, *, port: int = 0):  # noqa: ANN001, ANN202
    return serve_database_process_probes(
        service="a-sender",
        engine=engine,
        last_turn=last_turn,
        stuck_after=5.0,
        host="127.0.0.1",
        port=port,
    )


def _get(server, path: str) -> requests.Response:  # noqa: ANN001
    return requests.get(f"http://127.0.0.1:{server.port}{path}", timeout=5)


def test_live_while_the_loop_turns_and_ready_while_the_database_answers(tmp_path: Path):
    turned = [time.monotonic()]
    server = _probes(create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}"), lambda: turned[0])
    assert server is not None
    try:
        assert _get(server, "/healthz").status_code == 200
        assert _get(server, "/readyz").json()["status"] == "ready"
        turned[0] -= 60  # the loop has not turned for a minute
        stuck = _get(server, "/healthz")
        assert stuck.status_code == 503 and stuck.json()["last_turn_seconds"] >= 60
    finally:
        server.stop()


def test_not_ready_while_the_database_does_not_answer(tmp_path: Path):
    missing = create_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'db.sqlite'}")
    server = _probes(missing, time.monotonic)
    assert server is not None
    try:
        answer = _get(server, "/readyz")
        assert answer.status_code == 503 and "database" in answer.json()
        assert _get(server, "/healthz").status_code == 200
    finally:
        server.stop()


def test_a_taken_port_gives_no_probes_and_no_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        server = _probes(create_engine("sqlite://"), time.monotonic, port=port)

    assert server is None
    assert "probe port unavailable" in caplog.text
