"""Purge and replace: a file that is the shop's whole inventory withdraws what it does not
name. The SKUs a file names are read once for the preview and once more when its rows are
all applied, so a listing added meanwhile is judged by the file as it is."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.common.messaging.tables import add_to_outbox
from services.shops.db import Listing, OutboxMessage, Shop
from services.shops.events import listing_removed
from services.shops.handlers.listings import lock_skus
from services.shops.uploads.files import RowReader

BATCH = 1000


def named_skus(session: Session, job_id: str) -> set[str] | None:
    """Every SKU the stored file names, its refused rows' too (the shop still has those);
    None when the file has no SKU column."""
    reader = RowReader(job_id).use(session)
    header = reader.open()
    column = header.positions.get("sku")
    if column is None:
        return None
    names: set[str] = set()
    while rows := reader.take(10_000):
        names.update(cells[column].strip() for _, cells in rows if column < len(cells))
    names.discard("")
    return names


def unnamed_listings(session: Session, *, shop_id: str, names: set[str]) -> list[str]:
    """The ids of the shop's listings the file does not name."""
    rows = session.execute(select(Listing.id, Listing.sku).where(Listing.shop_id == shop_id))
    return [listing_id for listing_id, sku in rows if sku not in names]


def withdraw_unnamed(session: Session, *, shop: Shop, names: set[str]) -> int:
    """Remove the listings the file does not name, each announced as removed; how many."""
    lock_skus(session, shop)
    gone = unnamed_listings(session, shop_id=shop.id, names=names)
    for start in range(0, len(gone), BATCH):
        ids = gone[start : start + BATCH]
        for listing in session.scalars(select(Listing).where(Listing.id.in_(ids))):
            add_to_outbox(session, OutboxMessage, listing_removed(listing))
        session.execute(delete(Listing).where(Listing.id.in_(ids)))
    return len(gone)
