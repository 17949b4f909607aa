"""Apply one chunk of an inventory file: upsert the changed rows by SKU in one statement,
leave unchanged rows alone (no revision, no event), and report each bad row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Dialect, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.messaging.tables import add_to_outbox
from services.shops.db import Listing, OutboxMessage, PhotoFetch, Shop, new_ids
from services.shops.domain import InvalidInput, ListingDraft, check_listing
from services.shops.events import batch_upserted, draft_payload
from services.shops.handlers.listings import draft_of, lock_skus
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
    session: Session,
    *,
    shop: Shop,
    header: Header,
    rows: Sequence[tuple[int, list[str]]],
    job_id: str | None = None,
) -> ChunkResult:
    """Apply `rows`; with a `job_id`, the photo addresses new to a listing are queued for
    the worker to fetch (services/shops/photos/fetch.py), each remembering its line."""
    result = ChunkResult()
    now = utcnow()
    currency = shop.currency
    drafts: dict[str, ListingDraft] = {}
    lines: dict[str, int] = {}
    for line, cells in rows:
        draft = _draft(header, cells, line=line, currency=currency, now=now, result=result)
        if draft is not None:
            assert draft.sku is not None
            # A SKU listed twice: the later line wins, as it would in two uploads.
            drafts[draft.sku] = draft
            lines[draft.sku] = line
    outcomes = upsert_drafts(session, shop=shop, drafts=drafts, now=now, job_id=job_id, lines=lines)
    for outcome in outcomes.values():
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def upsert_drafts(
    session: Session,
    *,
    shop: Shop,
    drafts: dict[str, ListingDraft],
    now: datetime,
    job_id: str | None = None,
    lines: dict[str, int] | None = None,
) -> dict[str, str]:
    """Create or update the shop's listings by SKU; each SKU's outcome: created, updated
    or unchanged (an unchanged listing keeps its revision and is not announced). With a
    `job_id`, photo addresses new to a listing are queued for the worker to fetch, each
    remembering its file's line (`lines`)."""
    outcomes: dict[str, str] = {}
    if not drafts:
        return outcomes
    shop_id = shop.id
    lock_skus(session, shop)
    existing = {
        row.sku: row
        for row in session.execute(
            select(LISTING).where(LISTING.c.shop_id == shop_id, LISTING.c.sku.in_(list(drafts)))
        )
    }
    new = [sku for sku in drafts if sku not in existing]
    fresh_ids = dict(zip(new, new_ids(len(new)), strict=True))
    changed = []
    payloads = []
    fetches = []
    for sku, draft in drafts.items():
        before = existing.get(sku)
        if before is None:
            listing_id, revision, created_at = fresh_ids[sku], 1, now
            outcomes[sku] = "created"
        elif draft_of(before) == draft:
            outcomes[sku] = "unchanged"
            continue
        else:
            listing_id, revision, created_at = before.id, before.revision + 1, before.created_at
            outcomes[sku] = "updated"
        # The draft's fields are the listing's columns; its lists are tuples, which the JSON
        # columns store alike and which, unlike lists, _upsert can use as dictionary keys.
        changed.append(
            vars(draft)
            | {
                "id": listing_id,
                "shop_id": shop_id,
                "revision": revision,
                "created_at": created_at,
                "updated_at": now,
            }
        )
        known = set(before.photos or ()) if before is not None else set()
        fetches.extend(
            {"job_id": job_id, "listing_id": listing_id, "line": (lines or {})[sku], "url": url}
            for url in draft.photos
            if url not in known and job_id is not None
        )
        payloads.append(
            draft_payload(
                draft,
                listing_id=listing_id,
                shop_id=shop_id,
                revision=revision,
                created_at=created_at,
                updated_at=now,
            )
        )
    if changed:
        _upsert(session, changed)
        add_to_outbox(session, OutboxMessage, batch_upserted(shop_id, payloads))
    if fetches:
        session.execute(insert(PhotoFetch), [fetch | {"created_at": now} for fetch in fetches])
    return outcomes


def _draft(
    header: Header,
    cells: list[str],
    *,
    line: int,
    currency: str,
    now: datetime,
    result: ChunkResult,
) -> ListingDraft | None:
    problems: dict[str, str] = {}
    try:
        draft = check_listing(**listing_values(header.pick(cells), currency=currency), now=now)
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


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT (shop_id, sku) DO UPDATE, as one executemany.

    The SKU lock taken above means the rows read before are still the rows written over,
    so the ids and revisions computed from them are the ones the database ends up with.

    The statement is compiled once and sent to the driver as it is: SQLAlchemy's own
    executemany prepares the parameters row by row, which cost more than the database's
    work. Values are converted as SQLAlchemy would (JSON, SQLite's timestamps), each
    distinct value once: most rows share their timestamps and their empty lists. So the
    values of those columns must be hashable: tuples, not lists, for the JSON ones.
    """
    connection = session.connection()
    upsert = _upsert_statement(connection.dialect)
    for row in rows:
        row.setdefault("images", ())
    for name, process in upsert.processors:
        converted = {value: process(value) for value in {row[name] for row in rows}}
        for row in rows:
            row[name] = converted[row[name]]
    if upsert.positions is None:
        connection.exec_driver_sql(upsert.sql, rows)
    else:
        connection.exec_driver_sql(upsert.sql, list(map(upsert.positions, rows)))


@dataclass(frozen=True)
class _Upsert:
    sql: str
    # Columns whose values the driver takes only once converted, and the converter.
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    # For a driver with positional parameters: a row's values in their order.
    positions: Callable[[dict[str, Any]], tuple[Any, ...]] | None


@lru_cache(maxsize=8)
def _upsert_statement(dialect: Dialect) -> _Upsert:
    insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    statement = insert(LISTING)
    # Uploaded photos are not a column of the file: a new row starts with none (see
    # _upsert), and a row already there keeps its own.
    kept = ("id", "shop_id", "sku", "created_at", "images")
    statement = statement.on_conflict_do_update(
        index_elements=[LISTING.c.shop_id, LISTING.c.sku],
        set_={name: statement.excluded[name] for name in LISTING.c.keys() if name not in kept},
    )
    compiled = statement.compile(dialect=dialect, column_keys=LISTING.c.keys())
    processors = []
    for column in LISTING.c:
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((column.key, process))
    order = compiled.positiontup
    return _Upsert(
        sql=str(compiled),
        processors=tuple(processors),
        positions=itemgetter(*order) if order else None,
    )
