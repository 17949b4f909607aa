"""Photo upload benchmark: 4000x3000 JPEGs through the shops service's photo upload API.

    python bench/images.py [--photos 500] [--clients 2] [--workers 2] [--seed 1]

Starts the shops web process (the Procfile's command, gunicorn with --workers processes)
on a free port with a temporary DATA_DIR, opens a shop with one listing per ten photos,
then sends every photo with --clients concurrent clients, one photo per request: each is
read, checked, turned upright, resized to three sizes and written as WebP and JPEG into
the filesystem photo store, exactly as a seller's upload is. It prints the shops web
process's CPU seconds on stderr, then, last,

    images photos=<n> photos_per_s=<x> p95_ms=<x> bytes_out_per_photo=<x>

p95_ms is one request's time (one photo); bytes_out_per_photo the stored files' bytes (six
per photo) over the number of photos. The photos are made once per run from a few noisy
pictures, each made unique by trailing bytes (ignored by decoders), so no two share a name.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from PIL import Image, ImageFilter

# Run as `python bench/<name>.py` from a checkout: the process harness lives in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.common.auth import Principal, issue_token
from tests import support
from tests.e2e.system import System, make_system

SIZE = (4000, 3000)
BASES = 4
PER_LISTING = 10


def base_photos(seed: int) -> list[bytes]:
    """A few camera-like JPEGs: smooth shapes with grain, at a camera's quality."""
    rng = random.Random(seed)
    photos = []
    for _ in range(BASES):
        small = Image.new("RGB", (80, 60))
        small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(80 * 60)])
        image = small.resize(SIZE, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(6))
        grain = Image.effect_noise(SIZE, 18).convert("RGB")
        image = Image.blend(image, grain, 0.12)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90)
        photos.append(out.getvalue())
    return photos


def start(workdir: Path, *, workers: int) -> System:
    system = make_system(
        workdir, amqp_url=support.AMQP_URL, prefix="bench-" + uuid.uuid4().hex[:10],
        database_urls={},
    )  # fmt: skip
    system.env["WEB_CONCURRENCY"] = str(workers)
    system.commands = {"shops": system.commands["shops"]}
    system.migrate()
    system.start("shops")
    system.wait_ready("shops")
    return system


def cpu_seconds(system: System) -> float:
    """User + system CPU seconds of the shops web process group so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    group = system.processes["shops"].pid
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def run(system: System, *, photos: int, clients: int, seed: int) -> tuple[float, float, float]:
    base = system.url("shops")
    user = str(uuid.uuid4())
    seller = Principal(user, "Bench Seller")

    def fresh() -> dict[str, str]:
        # A token lives two minutes; a run on a busy machine takes longer than that.
        token = issue_token(seller, secret=system.env["SERVICE_TOKEN_SECRET"])
        return {"Authorization": f"Bearer {token}"}

    headers = fresh()
    shop = requests.post(
        f"{base}/shops", json={"name": "Bench Photos", "signature": "B."}, headers=headers,
        timeout=10,
    ).json()  # fmt: skip
    listings = [
        requests.post(
            f"{base}/shops/{shop['id']}/listings",
            json={"title": f"Photographed {n}", "price": {"amount": 500}, "quantity": 1},
            headers=headers,
            timeout=10,
        ).json()["id"]
        for n in range(-(-photos // PER_LISTING))
    ]
    sources = base_photos(seed)
    print(f"made {len(sources)} base photos of {SIZE[0]}x{SIZE[1]}", file=sys.stderr)
    session = threading_sessions()

    def send(number: int) -> float:
        data = sources[number % len(sources)] + b"\0bench" + number.to_bytes(4, "big")
        listing = listings[number // PER_LISTING]
        started = time.perf_counter()
        response = session().post(
            f"{base}/shops/{shop['id']}/listings/{listing}/photos",
            files=[("photos", (f"photo-{number}.jpg", data, "image/jpeg"))],
            headers=fresh(),
            timeout=120,
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 201:
            raise SystemExit(f"photo {number}: HTTP {response.status_code} {response.text}")
        return elapsed

    cpu_before = cpu_seconds(system)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        times = list(pool.map(send, range(photos)))
    wall = time.perf_counter() - started
    print(f"cpu: shops web {cpu_seconds(system) - cpu_before:.1f}s", file=sys.stderr)
    stored = sum(path.stat().st_size for path in (system.workdir / "data" / "photos").rglob("*"))
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return photos / wall, p95 * 1000, stored / photos


def threading_sessions():
    import threading

    local = threading.local()

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return local.session

    return session


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.images", description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="bench-images-") as scratch:
        system = start(Path(scratch), workers=args.workers)
        try:
            rate, p95, out = run(system, photos=args.photos, clients=args.clients, seed=args.seed)
        finally:
            system.stop_all()
            support.delete_broker_objects(system.env["AMQP_PREFIX"])
    print(
        f"images photos={args.photos} photos_per_s={rate:.1f} p95_ms={p95:.0f} "
        f"bytes_out_per_photo={out:.0f}"
    )


if __name__ == "__main__":
    main()
