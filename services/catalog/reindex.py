"""Rebuild the whole search index from the shops service, without downtime.

    python -m services.catalog.reindex [--shops-url URL]

Reads every listing from the shops feed (GET {SHOPS_URL}/listings?after=<id>&limit=1000,
in id order), records each in the read model (an older revision never overwrites a newer
one), and writes the winning state into a NEW index beside the live one: a new file for the
embedded index, a new Meilisearch index. Searches keep using the live index meanwhile. Then
the new index is swapped in atomically, and whatever the worker applied to the old one while
the rebuild ran is applied again from the read model, so nothing is lost in the swap.
Shops on vacation and listings with no stock never appear, as in normal indexing.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import requests
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from services.catalog.bootstrap import bootstrap
from services.catalog.db import IndexedListing, IndexedShop
from services.catalog.handlers import project_many, record_listings
from services.catalog.search.port import SearchIndex
from services.common.clock import utcnow
from services.common.contracts import ListingUpserted
from services.common.logs import configure_logging

log = logging.getLogger(__name__)
PAGE = 1000
# Index writes the worker had in flight against the old index when it was swapped out land
# there; a second catch-up after this pause applies them to the new one.
SETTLE_S = 2.0


def feed(
    shops_url: str, *, page: int = PAGE, http: Any = requests
) -> Iterator[list[ListingUpserted]]:
    """Every listing of every shop, a page at a time, as listing.upserted events."""
    after = ""
    while True:
        response = http.get(
            f"{shops_url.rstrip('/')}/listings", params={"after": after, "limit": page}, timeout=60
        )
        response.raise_for_status()
        body = response.json()
        items = body.get("listings", [])
        if items:
            yield [as_event(item) for item in items]
        after = body.get("next_after") or ""
        if not after or not items:
            return


def as_event(item: dict[str, Any]) -> ListingUpserted:
    fields = set(ListingUpserted.model_fields)
    return ListingUpserted.model_validate(
        {"listing_id": item["id"], **{k: v for k, v in item.items() if k in fields}}
    )


def rebuild(
    session_factory: sessionmaker[Session],
    live: SearchIndex,
    pages: Iterator[list[ListingUpserted]],
    *,
    settle_s: float = SETTLE_S,
) -> int:
    """Fill a replacement of `live` from `pages`, swap it in, catch up; the listings written."""
    started = utcnow()
    replacement = live.build_replacement()
    written = 0
    for events in pages:
        with session_factory.begin() as session:
            listings, _ = record_listings(session, events)
            project_many(replacement, listings, _shops(session, listings))
        written += len(events)
        log.info("reindexed a page", extra={"listings": written})
    live.swap_in(replacement)
    for pause in (0.0, settle_s):
        time.sleep(pause)
        catch_up(session_factory, live, since=started)
    return written


def catch_up(session_factory: sessionmaker[Session], index: SearchIndex, *, since: datetime) -> int:
    """Project again every listing whose state (or whose shop) changed since `since`."""
    with session_factory() as session:
        changed_shops = select(IndexedShop.shop_id).where(IndexedShop.changed_at >= since)
        listings = list(
            session.scalars(
                select(IndexedListing).where(
                    or_(
                        IndexedListing.updated_at >= since,
                        IndexedListing.shop_id.in_(changed_shops),
                    )
                )
            )
        )
        project_many(index, listings, _shops(session, listings))
        return len(listings)


def _shops(session: Session, listings: list[IndexedListing]) -> dict[str, IndexedShop | None]:
    return {shop_id: session.get(IndexedShop, shop_id) for shop_id in {x.shop_id for x in listings}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="services.catalog.reindex", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--shops-url", help="the shops service (default: SHOPS_URL)")
    args = parser.parse_args(argv)
    runtime = bootstrap()
    configure_logging("catalog-reindex", runtime.settings.log_level)
    shops_url = args.shops_url or runtime.settings.shops_url
    started = time.perf_counter()
    written = rebuild(runtime.session_factory, runtime.search_index, feed(shops_url))
    print(f"reindexed listings={written} seconds={time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
