"""Which gateway tests may start the live services: the files named for it (conftest.py's
guard fails any other test that asks for the `services` fixture)."""

from __future__ import annotations

from pathlib import Path

from tests.gateway.conftest import live_stack_allowed


def test_only_files_named_live_may_start_the_live_services():
    assert live_stack_allowed(Path("tests/gateway/sell/test_orders_live.py"))
    assert live_stack_allowed(Path("tests/gateway/test_fakes_contract.py"))
    assert not live_stack_allowed(Path("tests/gateway/sell/test_orders.py"))
    assert not live_stack_allowed(Path("tests/gateway/test_live_things.py"))
