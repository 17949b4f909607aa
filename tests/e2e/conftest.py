"""Real processes and a real Chromium for the end-to-end tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests import support
from tests.e2e.system import System, make_system

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Assertions wait as long as actions do (the pages' default below): with two test processes
# on two cores, a page that follows a form's change can take longer than the usual 5 s.
expect.set_options(timeout=15_000)


@pytest.fixture(params=["sqlite", "postgresql"])
def system(request, tmp_path, broker, amqp_prefix) -> Iterator[System]:
    with ExitStack() as stack:
        database_urls: dict[str, str] = {}
        if request.param == "postgresql":
            if not support.postgres_available():
                pytest.skip(f"PostgreSQL not reachable at {support.POSTGRES_URL}")
            for service in ("gateway", "shops", "catalog", "orders", "notifications"):
                database_urls[service] = stack.enter_context(support.fresh_postgres_database())
        running = make_system(
            tmp_path, amqp_url=broker, prefix=amqp_prefix, database_urls=database_urls
        )
        stack.callback(running.stop_all)
        running.start_all()
        yield running
        call = getattr(request.node, "report_call", None)
        if call is not None and call.failed:
            # Shown with the failure: what each process said while the test ran.
            for name in running.commands:
                print(f"--- {name} ---\n{running.log(name)}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so its fixtures can tell it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator:
    """Each call opens a page in its own context: its own cookies, as another person."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context()
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
