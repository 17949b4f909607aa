"""Want-list matching benchmark: new listings applied through the catalog's listing handler
while 10,000 wants wait for them.

    python bench/wants.py [--wants 10000] [--listings 100000] [--seed 1]

Builds a real catalog (its SQLite database, migrated, and the embedded index) in a temporary
directory, with shops in several countries (some on vacation, some without shipping rates)
and wants of a realistic mix, deterministic for a seed: a third ISBNs, the rest one to three
words (a few common, most rarer, some an author's name), many with filters (condition,
binding, first edition, a country, a maximum price). Then applies the listings as
`listing.batch_upserted` events of 1,000 through the same path as the worker: the consumer's
idempotent apply (inbox, one transaction per batch) into `CatalogHandlers.apply_listings`.

Timed for `listings_per_s`: only the want matching inside that handler, i.e. every call of
`match_arrivals` (finding the arrivals, the candidate queries, the filter checks, inserting
the matches); not the read model's upserts, the index
writes or the commit. The whole handler's rate is printed on the line before. The last line is

    wants wants=<n> listings=<n> listings_per_s=<listings matched per second of matching>
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Run as `python bench/<name>.py` from a checkout: the services live beside this folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

import services.catalog
from services.catalog import handlers as catalog_handlers
from services.catalog.bootstrap import bootstrap
from services.catalog.config import Settings
from services.catalog.db import InboxMessage, WantMatch
from services.catalog.handlers import CatalogHandlers
from services.catalog.wants import store
from services.catalog.wants.matching import match_arrivals
from services.common.condition import Condition
from services.common.contracts import (
    ListingsUpserted,
    ListingUpserted,
    Money,
    ShippingRates,
    ShopUpdated,
    wrap,
)
from services.common.messaging.consumer import Consumer
from services.common.migrations import upgrade_to_head

BATCH = 1000
COMMON = "the of and a history complete works new collected".split()
SYLLABLES = "ka lo mer tin da ro sel van bri cor nel has pa qui ster mon lu fa ber tho".split()
FIRST = "Ada Tomas Ines Kofi Mila Jorge Anna Lena Omar Yuki Pablo Greta Ivan Nora".split()
LAST = "Varga Okafor Lind Moreau Sato Novak Byrne Costa Ibsen Ruiz Khan Weber Rossi".split()
BINDINGS = ("Hardcover", "Paperback", "Softcover", "Leather", "Boards")
# The grades a used book gets, best first.
CONDITIONS = tuple(grade.label for grade in Condition.best_first()[1:])
CONDITION_KEYS = tuple(grade.value for grade in Condition.best_first()[1:-1])
CATEGORIES = "fiction poetry history travel science art music children crime maps".split()
COUNTRIES = ("GB", "FR", "DE", "ES", "IT", "NL", "US", "IE")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def isbn13(rng: random.Random) -> str:
    body = "978" + "".join(str(rng.randrange(10)) for _ in range(9))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


class World:
    """Shops, works and wants, all drawn from one seeded generator."""

    def __init__(self, seed: int, *, listings: int) -> None:
        self.rng = rng = random.Random(seed)
        # Large, as the words of real titles, authors and descriptions are.
        self.words = vocabulary(rng, 40_000)
        # Zipf-like popularity: a few title words are everywhere, most are rare.
        self.weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.works = [
            (
                self.title(),
                f"{rng.choice(FIRST)} {rng.choice(LAST)}-{rng.choice(self.words).title()}",
                isbn13(rng),
            )
            for _ in range(max(1, listings // 4))
        ]
        self.shops = [self.shop(number) for number in range(max(10, listings // 200))]

    def title(self) -> str:
        """One word by popularity (a few are everywhere), then one to three of any."""
        words = self.rng.choices(self.words, self.weights, k=1)
        words += self.rng.choices(self.words, k=self.rng.randint(1, 3))
        return " ".join(words).title()

    def shop(self, number: int) -> ShopUpdated:
        rng = self.rng

        def eur(amount: int) -> Money:
            return Money(amount=amount, currency="EUR")

        shipping = None
        if rng.random() < 0.9:
            shipping = ShippingRates(
                domestic_first=eur(rng.randint(200, 600)),
                domestic_additional=eur(100),
                international_first=eur(rng.randint(800, 2000)),
                international_additional=eur(300),
            )
        return ShopUpdated(
            shop_id=f"shop-{number}",
            revision=1,
            slug=f"shop-{number}",
            name=f"{rng.choice(LAST)} Books {number}",
            signature=rng.choice(FIRST),
            country=rng.choice(COUNTRIES),
            currency="EUR",
            shipping=shipping,
            on_vacation=rng.random() < 0.05,
        )

    def want(self) -> store.NewWant:
        rng = self.rng
        if rng.random() < 1 / 3:
            spec: dict[str, object] = {"isbn": rng.choice(self.works)[2]}
        else:
            title, author, _ = rng.choice(self.works)
            surname = author.split()[-1]  # double-barrelled, as "Varga-Selmon": two words
            pick = rng.random()
            if pick < 0.5:
                words = title
            elif pick < 0.7:
                words = f"{title} {surname}"
            elif pick < 0.9:
                words = surname
            else:
                words = f"{rng.choice(COMMON)} {rng.choice(self.words)}"
            spec = {"words": words}
        if rng.random() < 0.3:
            spec["condition_at_least"] = rng.choice(CONDITION_KEYS)
        if rng.random() < 0.15:
            spec["binding"] = rng.choice(BINDINGS).lower()
        if rng.random() < 0.05:
            spec["first_edition"] = True
        if rng.random() < 0.3:
            spec["ships_to"] = rng.choice(COUNTRIES)
        if rng.random() < 0.3:
            spec["max_price_amount"] = rng.randint(500, 6000)
            spec["max_price_currency"] = "EUR" if rng.random() < 0.9 else "GBP"
        return store.NewWant(**spec)  # type: ignore[arg-type]

    def batch(self, number: int) -> ListingsUpserted:
        rng = self.rng
        shop = rng.choice(self.shops)
        listings = []
        for position in range(BATCH):
            title, author, isbn = rng.choice(self.works)
            edition = "First edition" if rng.random() < 0.05 else "Later printing"
            moment = EPOCH + timedelta(seconds=number * BATCH + position)
            listings.append(
                ListingUpserted(
                    listing_id=str(uuid.UUID(int=rng.getrandbits(128))),
                    shop_id=shop.shop_id,
                    revision=1,
                    title=title,
                    author=author,
                    isbn=isbn if rng.random() < 0.8 else None,
                    binding=rng.choice(BINDINGS),
                    condition=rng.choice(CONDITIONS),
                    description=f"{edition}; a {rng.choice(self.words)} copy, light wear.",
                    categories=[rng.choice(CATEGORIES)],
                    price=Money(amount=rng.randint(200, 8000), currency="EUR"),
                    quantity=rng.randint(1, 3),
                    created_at=moment,
                    updated_at=moment,
                )
            )
        return ListingsUpserted(shop_id=shop.shop_id, listings=listings)


class Stopwatch:
    """Adds up the time spent in the function it wraps."""

    def __init__(self, function):  # noqa: ANN001
        self.function = function
        self.seconds = 0.0
        # CPU time as well: on a shared machine, wall time also counts other people's work.
        self.cpu_seconds = 0.0

    def __call__(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN204
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start
            self.cpu_seconds += time.process_time() - cpu_start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.wants", description=__doc__.split("\n")[0])
    parser.add_argument("--wants", type=int, default=10_000)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    batches = max(1, args.listings // BATCH)
    listings = batches * BATCH
    world = World(args.seed, listings=listings)
    with tempfile.TemporaryDirectory(prefix="bench-wants-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'catalog.db'}"
        upgrade_to_head(Path(services.catalog.__file__).parent / "migrations", url)
        runtime = bootstrap(
            Settings(database_url=url, index_path=Path(scratch) / "index.sqlite", data_dir=scratch)
        )
        consumer = Consumer(
            name="catalog",
            queue="bench",
            session_factory=runtime.session_factory,
            inbox_model=InboxMessage,
            handlers=CatalogHandlers(runtime.search_index).handlers(),
        )
        for shop in world.shops:
            consumer.apply(wrap(shop), shop, consumer.handlers[ShopUpdated])
        with runtime.session_factory.begin() as session:
            for number in range(args.wants):
                store.add_want(session, f"user-{number // 5}", world.want())
        print(f"{len(world.shops)} shops, {args.wants} wants saved", file=sys.stderr)

        matching = Stopwatch(match_arrivals)
        catalog_handlers.match_arrivals = matching  # type: ignore[assignment]
        handler = consumer.handlers[ListingsUpserted]
        started = time.perf_counter()
        try:
            for number in range(batches):
                batch = world.batch(number)
                consumer.apply(wrap(batch), batch, handler)
                if (number + 1) % 10 == 0 or number + 1 == batches:
                    done = (number + 1) * BATCH
                    print(
                        f"{done} listings: handler {done / (time.perf_counter() - started):.0f}"
                        f"/s, matching {done / matching.seconds:.0f}/s "
                        f"({done / matching.cpu_seconds:.0f}/s of CPU time)",
                        file=sys.stderr,
                    )
        finally:
            catalog_handlers.match_arrivals = match_arrivals
        handler_s = time.perf_counter() - started
        with runtime.session_factory() as session:
            matches = session.scalar(select(func.count()).select_from(WantMatch))
        runtime.search_index.close()
        runtime.engine.dispose()
    print(
        f"{matches} matches; whole handler {listings / handler_s:.0f} listings/s "
        f"(batch generation included), matching {matching.seconds:.1f}s in all",
        file=sys.stderr,
    )
    print(
        f"wants wants={args.wants} listings={listings} "
        f"listings_per_s={listings / matching.seconds:.0f}"
    )


if __name__ == "__main__":
    main()
