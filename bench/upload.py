"""Bulk upload benchmark: a generated inventory file through the real processes until every
row is searchable in the catalog.

    python -m bench.upload --rows 100000 [--seed 1] [--keep DIR [--profile]]

Starts a shops web app, the shops worker and the catalog web app and worker (the Procfile's
commands) on free ports with a temporary DATA_DIR and broker prefix, opens a shop, uploads
the file over HTTP, waits for the upload job, then polls the catalog until rows spread over
the file, its first and last included, are indexed with their titles. It prints the CPU
seconds each process used (what to compare on a machine others are using), then, last,

    upload rows=<n> rows_per_s=<rows applied per second> searchable_s=<seconds to searchable>

Both figures count from the moment the upload request is sent. `--keep DIR` runs in DIR and
leaves the logs and databases there; `--profile` adds a cProfile file of each worker.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

# Run as `python bench/<name>.py` from a checkout: the process harness lives in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common.auth import Principal, issue_token
from services.common.condition import Condition
from tests import support
from tests.e2e.system import System, make_system

# Give up when the catalog has indexed none of the rows still missing for this long.
STALL_S = 60
PROCESSES = ("shops", "shops-worker", "catalog", "catalog-worker")
WORDS = (
    "night garden river silent winter house stone letters empire shadow city glass "
    "summer voyage island mirror crown forest memory north harbour salt lantern orchard "
    "clockwork atlas fire quiet kingdom thread secret paper iron wild"
).split()
FIRST = "Ada Tomas Ines Kofi Mila Jorge Anna Lena Omar Yuki Pablo Greta Ivan Nora".split()
LAST = "Varga Okafor Lind Moreau Sato Novak Byrne Costa Ibsen Ruiz Khan Weber Rossi".split()
PUBLISHERS = ("Penguin", "Gallimard", "Faber & Faber", "Vintage", "Picador", "Anagrama")
BINDINGS = ("Hardcover", "Paperback", "Softcover", "Leather")
# The grades a used book gets, best first.
CONDITIONS = tuple(grade.label for grade in Condition.best_first()[1:])


def isbn13(rng: random.Random) -> str:
    body = "978" + "".join(str(rng.randrange(10)) for _ in range(9))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def generate(path: Path, *, rows: int, seed: int) -> None:
    """A bookseller's inventory file, the same bytes for the same rows and seed."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "sku",
                "title",
                "author",
                "isbn",
                "publisher",
                "pubyear",
                "binding",
                "condition",
                "description",
                "price",
                "quantity",
            ]
        )
        for number in range(rows):
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).title()
            writer.writerow(
                [
                    f"BK-{number:07d}",
                    title,
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    isbn13(rng),
                    rng.choice(PUBLISHERS),
                    rng.randint(1900, 2024),
                    rng.choice(BINDINGS),
                    rng.choice(CONDITIONS),
                    f"{title}, a {rng.choice(WORDS)} copy; light wear to the {rng.choice(WORDS)}.",
                    f"{rng.randint(2, 200)}.{rng.randrange(100):02d}",
                    rng.randint(1, 3),
                ]
            )


def start(workdir: Path, *, profile: bool = False) -> System:
    system = make_system(
        workdir,
        amqp_url=support.AMQP_URL,
        prefix="bench-" + uuid.uuid4().hex[:10],
        database_urls={},
    )
    system.commands = {name: system.commands[name] for name in PROCESSES}
    if profile:
        # The workers under cProfile: each writes <name>.prof beside its log when stopped.
        for name in ("shops-worker", "catalog-worker"):
            module = system.commands[name].removeprefix("python -m ")
            system.commands[name] = (
                f"exec python -m cProfile -o {workdir / (name + '.prof')} -m {module}"
            )
    system.migrate()
    for name in PROCESSES:
        system.start(name)
    system.wait_ready("shops")
    system.wait_ready("catalog")
    return system


def cpu_seconds(system: System) -> dict[str, float]:
    """User + system CPU seconds so far of each process group started (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    groups = {process.pid: name for name, process in system.processes.items()}
    used = dict.fromkeys(groups.values(), 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        fields = text[text.rindex(")") + 2 :].split()
        name = groups.get(int(fields[2]))  # its process group
        if name is not None:
            used[name] += (int(fields[11]) + int(fields[12])) / tick
    return used


def headers(secret: str, user_id: str) -> dict[str, str]:
    token = issue_token(Principal(user_id, "Bench Seller"), secret=secret)
    return {"Authorization": f"Bearer {token}"}


def run(system: System, path: Path, rows: int) -> tuple[float, float]:
    shops, catalog = system.url("shops"), system.url("catalog")
    secret, user = system.env["SERVICE_TOKEN_SECRET"], str(uuid.uuid4())

    def get(url: str, **params: object) -> requests.Response:
        return requests.get(url, params=params, headers=headers(secret, user), timeout=10)

    shop = requests.post(
        f"{shops}/shops",
        json={"name": "Bench Books", "signature": "The bench"},
        headers=headers(secret, user),
        timeout=10,
    ).json()
    started = time.monotonic()
    with path.open("rb") as handle:
        job = requests.post(
            f"{shops}/shops/{shop['id']}/uploads?filename={path.name}",
            data=handle,
            headers=headers(secret, user) | {"Content-Type": "text/csv"},
            timeout=120,
        ).json()
    while (status := get(f"{shops}/shops/{shop['id']}/uploads/{job['id']}").json())[
        "status"
    ] not in ("done", "failed"):
        time.sleep(0.25)
    applied_s = time.monotonic() - started
    print(
        f"upload job {status['status']}: {status['rows_done']} rows in {applied_s:.1f}s, "
        f"{status['rows_rejected']} rejected",
        file=sys.stderr,
    )
    # The catalog's search total stops counting at its candidate cap, so "every listing is
    # searchable" is checked on rows spread over the file, its last row included: the
    # catalog applies the batches in the order they were published.
    samples = {}
    # A tenth of the file apart, so a slow catalog still shows progress before STALL_S.
    for number in sorted({*range(0, rows, max(1, rows // 10)), rows - 1}):
        found = get(f"{shops}/shops/{shop['id']}/listings", q=f"BK-{number:07d}").json()
        samples[found["listings"][0]["id"]] = found["listings"][0]["title"]
    searchable_s = float("nan")

    def indexed(listing_id: str, title: str) -> bool:
        answer = requests.get(f"{catalog}/listings/{listing_id}", timeout=10)
        return answer.ok and answer.json().get("title") == title

    # One look at a time, at the first sample not seen yet: polling them all ten times a
    # second would load the catalog it measures.
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
        total = requests.get(f"{catalog}/search", params={"q": ""}, timeout=10).json()["total"]
        print(f"the catalog stopped: search reports {total} listings", file=sys.stderr)
        print(system.log("catalog-worker"), file=sys.stderr)
    return rows / applied_s, searchable_s


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.upload", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep", type=Path, help="run in this folder and keep it: logs, databases, profiles"
    )
    parser.add_argument(
        "--profile", action="store_true", help="run both workers under cProfile (with --keep)"
    )
    args = parser.parse_args(argv)
    # Stopped from outside, still stop the processes it started (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not support.broker_available():
        sys.exit(f"RabbitMQ is not reachable at {support.AMQP_URL}")
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as scratch:
        workdir = Path(scratch)
        if args.keep is not None:
            workdir = args.keep.resolve()
            workdir.mkdir(parents=True, exist_ok=False)
        path = workdir / "inventory.csv"
        generate(path, rows=args.rows, seed=args.seed)
        print(f"generated {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
        system = start(workdir, profile=args.profile)
        try:
            rows_per_s, searchable_s = run(system, path, args.rows)
            # CPU time is what a busy shared machine does not distort: compare runs by it.
            used = ", ".join(f"{name} {s:.1f}s" for name, s in cpu_seconds(system).items())
            print(f"cpu: {used}", file=sys.stderr)
        finally:
            system.stop_all()
            support.delete_broker_objects(system.env["AMQP_PREFIX"])
    print(f"upload rows={args.rows} rows_per_s={rows_per_s:.0f} searchable_s={searchable_s:.1f}")


if __name__ == "__main__":
    main()
