"""Screenshots of the storefront for the README: the home page, search results and a
listing page, at a desktop's and a phone's size, from a running demo.

    python -m scripts.screenshots [--base http://127.0.0.1:8000] [--out docs/screenshots]
    python -m scripts.screenshots --start      # starts its own demo on free ports, seeds it

--start runs every Procfile process in a temporary folder with its own broker prefix (the
harness of the browser tests), fills it with `scripts.seed_demo`, waits until the catalog
shows the demo's covers, and stops it all afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
QUERY = "winter"


def shoot(base: str, out: Path, *, chromium: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        try:
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{base}/search?q={QUERY}")
                listing = page.locator(".card h3 a").first.get_attribute("href")
                for name, path in (
                    ("home", "/"),
                    ("search", f"/search?q={QUERY}"),
                    ("listing", listing or "/"),
                ):
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{size}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                page.close()
        finally:
            browser.close()
    return written


def start_demo(workdir: Path):  # noqa: ANN201 - a tests.e2e.system.System
    sys.path.insert(0, str(REPO))
    from tests import support
    from tests.e2e.system import make_system

    system = make_system(
        workdir, amqp_url=support.AMQP_URL, prefix="shots-" + uuid.uuid4().hex[:8],
        database_urls={},
    )  # fmt: skip
    system.migrate()
    system.start_all()
    subprocess.run(
        [sys.executable, "-m", "scripts.seed_demo", "--listings", "120"],
        env=system.env, cwd=REPO, check=True,
    )  # fmt: skip
    catalog = system.env["CATALOG_URL"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        hits = requests.get(f"{catalog}/search", params={"q": QUERY}, timeout=5).json()["hits"]
        if hits and all(hit.get("cover") for hit in hits):
            break
        time.sleep(1)
    return system


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default=os.environ.get("GATEWAY_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--start", action="store_true", help="start and seed a demo of its own")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    if not args.start:
        for path in shoot(args.base, args.out, chromium=args.chromium):
            print(path)
        return
    with tempfile.TemporaryDirectory(prefix="screenshots-") as scratch:
        system = start_demo(Path(scratch))
        try:
            for path in shoot(system.url("gateway"), args.out, chromium=args.chromium):
                print(path)
        finally:
            system.stop_all()
            from tests import support

            support.delete_broker_objects(system.env["AMQP_PREFIX"])


if __name__ == "__main__":
    main()
