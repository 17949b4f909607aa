"""Apply one chunk of an inventory file: upsert the changed rows by SKU in one statement,
leave unchanged rows alone (no revision, no event), and report each bad row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.common.messaging.tables import add_to_outbox, utcnow
from services.shops.db import Listing, OutboxMessage, Shop, new_id
from services.shops.domain import InvalidInput, ListingDraft, check_listing
from services.shops.events import listings_upserted
from services.shops.handlers.listings import columns_of, draft_of, lock_skus
from services.shops.uploads.columns import CellError, Header, listing_values

LISTING = Listing.__table__
# Field names of the listing rules, as the seller knows them from the file's header.
FIELD_TO_COLUMN = {"price.amount": "price", "price.currency": "price"}


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def apply_chunk(
    session: Session, *, shop: Shop, header: Header, rows: Sequence[tuple[int, list[str]]]
) -> ChunkResult:
    result = ChunkResult()
    drafts: dict[str, tuple[int, ListingDraft]] = {}
    for line, cells in rows:
        draft = _draft(header, cells, line=line, currency=shop.currency, result=result)
        if draft is not None:
            assert draft.sku is not None
            # A SKU listed twice: the later line wins, as it would in two uploads.
            drafts[draft.sku] = (line, draft)
    if not drafts:
        return result
    lock_skus(session, shop)
    existing = {
        row.sku: row
        for row in session.execute(
            select(LISTING).where(LISTING.c.shop_id == shop.id, LISTING.c.sku.in_(list(drafts)))
        )
    }
    now = utcnow()
    changed = []
    for sku, (_line, draft) in drafts.items():
        before = existing.get(sku)
        if before is not None and draft_of(before) == draft:
            result.unchanged += 1
            continue
        values = columns_of(draft) | {"shop_id": shop.id, "updated_at": now}
        if before is None:
            values |= {"id": new_id(), "revision": 1, "created_at": now}
            result.created += 1
        else:
            values |= {
                "id": before.id,
                "revision": before.revision + 1,
                "created_at": before.created_at,
            }
            result.updated += 1
        changed.append(values)
    if changed:
        _upsert(session, changed)
        rows = [SimpleNamespace(**values) for values in changed]
        add_to_outbox(session, OutboxMessage, listings_upserted(shop.id, rows))
    return result


def _draft(
    header: Header, cells: list[str], *, line: int, currency: str, result: ChunkResult
) -> ListingDraft | None:
    problems: dict[str, str] = {}
    try:
        draft = check_listing(**listing_values(header.pick(cells), currency=currency))
    except CellError as error:
        problems[error.field] = error.reason
    except InvalidInput as error:
        for name, reason in error.fields.items():
            problems.setdefault(FIELD_TO_COLUMN.get(name, name), reason)
    else:
        if draft.sku is not None:
            return draft
        problems["sku"] = "every row needs a SKU: rows are matched to listings by it"
    result.rejected += 1
    for name, reason in problems.items():
        result.errors.append({"line": line, "field": name, "reason": reason})
    return None


def _upsert(session: Session, values: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT (shop_id, sku) DO UPDATE, as one executemany.

    The SKU lock taken above means the rows read before are still the rows written over,
    so the ids and revisions computed from them are the ones the database ends up with.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(LISTING)
    kept = ("id", "shop_id", "sku", "created_at")
    statement = statement.on_conflict_do_update(
        index_elements=[LISTING.c.shop_id, LISTING.c.sku],
        set_={name: statement.excluded[name] for name in values[0] if name not in kept},
    )
    session.execute(statement, values)
