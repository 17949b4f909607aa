"""Asking several services for one page at once: one deadline for all, what fails or comes
late is missing (and said), a refusal of who asks is the whole page's."""

from __future__ import annotations

import threading
import time

import pytest

from gateway.clients import ServiceError, ServiceUnavailable
from gateway.pages.gather import Ask, gather
from services.common import correlation


def _fails(error: Exception):  # noqa: ANN202
    def call() -> None:
        raise error

    return call


def test_every_answer_comes_by_name_and_the_calls_run_at_once():
    started = threading.Barrier(3, timeout=2)

    def answer(value: int):  # noqa: ANN202
        def call() -> int:
            started.wait()  # all three must be running together to pass this
            return value

        return call

    found = gather({name: Ask(answer(n), name) for n, name in enumerate("abc")}, timeout=3)

    assert found.values == {"a": 0, "b": 1, "c": 2}
    assert found.missing == []


def test_a_late_or_failing_call_is_missing_and_the_page_waits_one_deadline_only():
    release = threading.Event()
    began = time.monotonic()

    found = gather(
        {
            "slow": Ask(lambda: release.wait(5), "the slow part"),
            "slower": Ask(lambda: release.wait(5), "the slower part"),
            "down": Ask(_fails(ServiceUnavailable("orders", "down")), "the messages"),
            "refused": Ask(_fails(ServiceError(404, "no such thing")), "the reviews"),
            "quiet": Ask(_fails(ServiceUnavailable("catalog", "down")), ""),
            "fine": Ask(lambda: "here", "never said"),
        },
        timeout=0.3,
    )
    release.set()

    assert time.monotonic() - began < 1.5  # one deadline, not one per call
    assert found["fine"] == "here"
    assert found["slow"] is found["down"] is found["quiet"] is None
    assert found.missing == ["the slow part", "the slower part", "the messages", "the reviews"]


@pytest.mark.parametrize("status", [401, 403])
def test_a_refusal_of_who_asks_is_not_a_missing_part_but_the_pages_error(status):
    with pytest.raises(ServiceError) as raised:
        gather({"x": Ask(_fails(ServiceError(status, "not yours")), "x")}, timeout=1)

    assert raised.value.status == status


def test_a_refusal_of_a_part_beside_the_page_only_leaves_it_out():
    found = gather(
        {"count": Ask(_fails(ServiceError(403, "not yours")), "", fails_page_on=())},
        timeout=1,
    )

    assert found["count"] is None and found.missing == []


def test_the_calls_carry_the_pages_correlation_id():
    with correlation.bound("page-123"):
        found = gather({"id": Ask(correlation.current, "")}, timeout=1)

    assert found["id"] == "page-123"
