"""Listing upserts applied to the read model with set-based statements.

A bulk upload arrives as batches of a thousand listings. Loading and flushing an ORM object
per listing cost more than everything else the catalog does with them, so a batch is one
read of what the catalog already holds, then one INSERT of the listings it has never seen
and one UPDATE of the others, each a single executemany. The rules stay the domain's: a
revision that is not newer than the stored one changes nothing.

Reading and writing are two steps (`plan_upserts`, then `Upserts.write`), so the caller can
start the search index's write in between.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Text, bindparam, cast, insert, select, update
from sqlalchemy.orm import Session

from services.catalog.db import IndexedListing
from services.catalog.domain import supersedes
from services.common.clock import utcnow
from services.common.contracts import ListingImage, ListingUpserted

log = logging.getLogger(__name__)
LISTINGS = IndexedListing.__table__
# Dumping the whole batch in one call costs a fraction of a dump per listing.
_PAYLOADS = TypeAdapter(list[ListingUpserted])
_WRITTEN = ("shop_id", "revision", "removed", "quantity", "listing", "updated_at")
_UPDATE = (
    update(LISTINGS)
    .where(LISTINGS.c.listing_id == bindparam("key"))
    .values({name: bindparam(name) for name in _WRITTEN})
)


@dataclass(frozen=True)
class Applied:
    """An upsert the read model took: the latest of the batch for its listing."""

    event: ListingUpserted
    payload: dict[str, Any]  # the event as stored, JSON-ready
    # Available now and not before the batch (new, back in stock, or back from removal):
    # what want matching looks at.
    arrived: bool


@dataclass(frozen=True)
class _Known:
    revision: int
    available: bool


@dataclass(frozen=True)
class Upserts:
    """What a batch changes in the read model, read and decided but not yet written."""

    applied: list[Applied]
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)

    def write(self, session: Session) -> None:
        if self.inserts:
            # A listing another worker inserted meanwhile fails the batch on the primary
            # key, and the consumer applies it again, then as an update.
            session.execute(insert(LISTINGS), self.inserts)
        if self.updates:
            session.connection().execute(_UPDATE, self.updates)
        if session.identity_map:
            # The statements above bypass the session: an IndexedListing loaded earlier in
            # this transaction (by another message of the batch) must be read again if used.
            written = {row["listing_id"] for row in self.inserts}
            written.update(row["key"] for row in self.updates)
            for instance in list(session.identity_map.values()):
                if isinstance(instance, IndexedListing) and instance.listing_id in written:
                    session.expire(instance)


def plan_upserts(
    session: Session,
    events: Sequence[ListingUpserted],
    *,
    payloads: Sequence[dict[str, Any]] | None = None,
) -> Upserts:
    """Which of `events` win, in the order given (stale ones skipped), and the rows they
    write; the rows of listings already known stay locked until the transaction ends.

    `payloads` are the events as JSON (what the read model stores), one per event, when
    the caller has them; they are made from the events otherwise."""
    if not events:
        return Upserts(applied=[])
    known = _known(session, sorted({event.listing_id for event in events}))
    revisions = {listing_id: state.revision for listing_id, state in known.items()}
    latest: dict[str, int] = {}
    for position, event in enumerate(events):
        if not supersedes(event.revision, revisions.get(event.listing_id)):
            log.info(
                "ignoring stale listing update",
                extra={
                    "listing_id": event.listing_id,
                    "reason": f"revision {event.revision} is not newer than "
                    f"{revisions[event.listing_id]}",
                },
            )
            continue
        revisions[event.listing_id] = event.revision
        latest[event.listing_id] = position
    upserts = Upserts(applied=[])
    if not latest:
        return upserts
    if payloads is None:
        winners = _PAYLOADS.dump_python([events[p] for p in latest.values()], mode="json")
    else:
        winners = [payloads[p] for p in latest.values()]
    now = utcnow()
    kept = _kept_images(
        session, [i for i in latest if i in known and events[latest[i]].images is None]
    )
    for listing_id, payload in zip(latest, winners, strict=True):
        event = events[latest[listing_id]]
        if kept.get(listing_id):
            # An upsert that does not say (an inventory file's row) keeps the photos known.
            images = kept[listing_id]
            event = event.model_copy(
                update={"images": [ListingImage.model_validate(image) for image in images]}
            )
            payload = payload | {"images": images}
        row = {
            "shop_id": event.shop_id,
            "revision": event.revision,
            "removed": False,
            "quantity": event.quantity,
            "listing": payload,
            "updated_at": now,
        }
        before = known.get(listing_id)
        if before is None:
            upserts.inserts.append(row | {"listing_id": listing_id})
        else:
            upserts.updates.append(row | {"key": listing_id})
        arrived = event.quantity > 0 and not (before is not None and before.available)
        upserts.applied.append(Applied(event=event, payload=payload, arrived=arrived))
    return upserts


def _kept_images(session: Session, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The photos the read model holds for `ids` (only those with some)."""
    if not ids:
        return {}
    query = select(IndexedListing.listing_id, IndexedListing.listing["images"]).where(
        IndexedListing.listing_id.in_(ids)
    )
    return {listing_id: images for listing_id, images in session.execute(query) if images}


def _known(session: Session, ids: list[str]) -> dict[str, _Known]:
    """What the read model holds for `ids`, rows locked in id order (PostgreSQL), so two
    workers applying overlapping batches never deadlock. SQLite's BEGIN IMMEDIATE already
    serialises every writer."""
    # An ORM-enabled select: changes that earlier messages of the same transaction made
    # through ORM objects are flushed first, so this reads them.
    query = (
        select(
            IndexedListing.listing_id,
            IndexedListing.revision,
            IndexedListing.removed,
            IndexedListing.quantity,
            # Not the payload itself, only whether there is one: a removal known before its
            # listing stores JSON null (NULL, then, for a row without any).
            (cast(IndexedListing.listing, Text) != "null").label("has_listing"),
        )
        .where(IndexedListing.listing_id.in_(ids))
        .order_by(IndexedListing.listing_id)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    found = {}
    for row in session.execute(query):
        available = bool(row.has_listing) and not row.removed and row.quantity > 0
        found[row.listing_id] = _Known(revision=row.revision, available=available)
    return found
