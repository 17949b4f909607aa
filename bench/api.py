"""Public API benchmark: listings upserted through `/api/v1/listings/bulk` in calls of
1,000 with a shop's own token, until every one is searchable in the catalog.

    python bench/api.py --listings 100000 [--seed 1] [--batch 1000]

Starts the shops web app and worker and the catalog web app and worker (the Procfile's
commands) on free ports with a temporary DATA_DIR and broker prefix, as bench/upload.py
does; opens a shop, makes it a personal access token, sends the listings in calls of
`--batch` (each with an Idempotency-Key, as a shop's software should), then polls the
catalog until listings spread over them, the last included, are indexed. Prints the CPU
seconds each process used, then, last,

    api listings=<n> listings_per_s=<listings upserted per second> searchable_s=<seconds>

Both figures count from the first call. Goal: searchable within 30 s for 100,000.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests

# Run as `python bench/api.py` from a checkout: the process harness lives in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.upload import (
    BINDINGS,
    FIRST,
    LAST,
    PUBLISHERS,
    STALL_S,
    WORDS,
    cpu_seconds,
    headers,
    isbn13,
    start,
)
from services.common.condition import Condition
from tests import support

# The keys of the grades a used book gets, best first.
CONDITIONS = tuple(grade.value for grade in Condition.best_first()[1:])


def listings(*, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    made = []
    for number in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).title()
        made.append(
            {
                "sku": f"API-{number:07d}",
                "title": title,
                "author": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "isbn": isbn13(rng),
                "publisher": rng.choice(PUBLISHERS),
                "year": rng.randint(1900, 2024),
                "binding": rng.choice(BINDINGS),
                "condition": rng.choice(CONDITIONS),
                "description": f"{title}, a {rng.choice(WORDS)} copy.",
                "price": {"amount": rng.randint(200, 20000), "currency": "EUR"},
                "quantity": rng.randint(1, 3),
            }
        )
    return made


def run(system: Any, items: list[dict[str, Any]], *, batch: int) -> tuple[float, float]:
    shops, catalog = system.url("shops"), system.url("catalog")
    secret, user = system.env["SERVICE_TOKEN_SECRET"], str(uuid.uuid4())
    seller = headers(secret, user)
    shop = requests.post(
        f"{shops}/shops",
        json={"name": "API Books", "signature": "The bench"},
        headers=seller,
        timeout=10,
    ).json()
    token = requests.post(
        f"{shops}/shops/{shop['id']}/tokens",
        json={"name": "bench", "scopes": ["inventory:read", "inventory:write"]},
        headers=seller,
        timeout=10,
    ).json()["secret"]
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"

    started = time.monotonic()
    for at in range(0, len(items), batch):
        answer = api.post(
            f"{shops}/api/v1/listings/bulk",
            json={"listings": items[at : at + batch]},
            headers={"Idempotency-Key": f"bench-{at}"},
            timeout=120,
        )
        answer.raise_for_status()
        rejected = answer.json()["rejected"]
        if rejected:
            sys.exit(f"{rejected} listings refused: {answer.json()['results'][:3]}")
    applied_s = time.monotonic() - started
    print(f"upserted {len(items)} listings in {applied_s:.1f}s", file=sys.stderr)

    samples = {}
    for number in sorted({*range(0, len(items), max(1, len(items) // 10)), len(items) - 1}):
        listing = api.get(f"{shops}/api/v1/listings/{items[number]['sku']}", timeout=10).json()
        samples[listing["id"]] = listing["title"]

    def indexed(listing_id: str, title: str) -> bool:
        answer = requests.get(f"{catalog}/listings/{listing_id}", timeout=10)
        return answer.ok and answer.json().get("title") == title

    searchable_s = float("nan")
    waiting = list(samples.items())
    progressed_at = time.monotonic()
    while time.monotonic() - progressed_at < STALL_S:
        while waiting and indexed(*waiting[0]):
            waiting.pop(0)
            progressed_at = time.monotonic()
        if not waiting:
            searchable_s = time.monotonic() - started
            break
        time.sleep(0.1)
    else:
        print(system.log("catalog-worker"), file=sys.stderr)
    return len(items) / applied_s, searchable_s


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench/api.py", description=__doc__.split("\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not support.broker_available():
        sys.exit(f"RabbitMQ is not reachable at {support.AMQP_URL}")
    items = listings(count=args.listings, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-api-") as scratch:
        system = start(Path(scratch))
        try:
            per_s, searchable_s = run(system, items, batch=args.batch)
            used = ", ".join(f"{name} {s:.1f}s" for name, s in cpu_seconds(system).items())
            print(f"cpu: {used}", file=sys.stderr)
        finally:
            system.stop_all()
            support.delete_broker_objects(system.env["AMQP_PREFIX"])
    print(
        f"api listings={args.listings} listings_per_s={per_s:.0f} searchable_s={searchable_s:.1f}"
    )


if __name__ == "__main__":
    main()
