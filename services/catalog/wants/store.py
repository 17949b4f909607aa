"""Want lists in the catalog's database: saving wants, finding the ones a batch of listings
may answer with a few set-based queries, and recording each match once with its event."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ARRAY,
    RowMapping,
    Select,
    String,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from services.catalog.db import OutboxMessage, Want, WantMatch, WantTerm
from services.catalog.wants.domain import MAX_WANTS_PER_USER, Arrival, Criteria, terms_of
from services.common.clock import utcnow
from services.common.contracts import Money, WantMatched
from services.common.messaging.tables import outbox_row

# Under SQLite's and PostgreSQL's limits on bound parameters, with room to spare.
_CHUNK = 500


class TooManyWants(Exception):
    """The shopper already has as many wants as one person may keep."""


@dataclass(frozen=True)
class NewWant:
    isbn: str | None = None
    words: str | None = None
    condition_at_least: str | None = None
    binding: str | None = None
    first_edition: bool = False
    ships_to: str | None = None
    max_price_amount: int | None = None
    max_price_currency: str | None = None


def add_want(session: Session, user_id: str, wanted: NewWant) -> Want:
    count = session.scalar(select(func.count()).select_from(Want).where(Want.user_id == user_id))
    if (count or 0) >= MAX_WANTS_PER_USER:
        raise TooManyWants(
            f"you already keep {MAX_WANTS_PER_USER} wants: delete one to add another"
        )
    want = Want(
        id=str(uuid.uuid4()),
        user_id=user_id,
        isbn=wanted.isbn,
        words=wanted.words,
        condition_at_least=wanted.condition_at_least,
        binding=wanted.binding,
        first_edition=wanted.first_edition,
        ships_to=wanted.ships_to,
        max_price_amount=wanted.max_price_amount,
        max_price_currency=wanted.max_price_currency,
        created_at=utcnow(),
    )
    session.add(want)
    session.flush()
    terms = terms_of(wanted.words) if wanted.isbn is None else ()
    if terms:
        session.execute(
            insert(WantTerm),
            [{"term": term, "want_id": want.id, "terms_in_want": len(terms)} for term in terms],
        )
    return want


def wants_of(session: Session, user_id: str) -> list[Want]:
    query = select(Want).where(Want.user_id == user_id).order_by(Want.created_at.desc(), Want.id)
    return list(session.scalars(query))


def want_of(session: Session, user_id: str, want_id: str) -> Want | None:
    """The want, only when it is `user_id`'s."""
    want = session.get(Want, want_id)
    return want if want is not None and want.user_id == user_id else None


def remove_want(session: Session, want: Want) -> None:
    # Explicit deletes rather than the foreign keys' cascade, which SQLite honours only
    # when the connection enables it.
    session.execute(delete(WantMatch).where(WantMatch.want_id == want.id))
    session.execute(delete(WantTerm).where(WantTerm.want_id == want.id))
    session.delete(want)


def matches_of(session: Session, user_id: str, *, limit: int) -> list[WantMatch]:
    query = (
        select(WantMatch)
        .where(WantMatch.user_id == user_id)
        .order_by(WantMatch.matched_at.desc(), WantMatch.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def match_of(session: Session, user_id: str, match_id: str) -> WantMatch | None:
    match = session.get(WantMatch, match_id)
    return match if match is not None and match.user_id == user_id else None


def unread_count(session: Session, user_id: str) -> int:
    query = (
        select(func.count())
        .select_from(WantMatch)
        .where(WantMatch.user_id == user_id, WantMatch.read_at.is_(None))
    )
    return session.scalar(query) or 0


def mark_read(session: Session, user_id: str, *, match_id: str | None = None) -> None:
    query = update(WantMatch).where(WantMatch.user_id == user_id, WantMatch.read_at.is_(None))
    if match_id is not None:
        query = query.where(WantMatch.id == match_id)
    session.execute(query.values(read_at=utcnow()))


# --- matching -----------------------------------------------------------------------------


def candidates(
    session: Session, *, isbns: Iterable[str], terms: Iterable[str]
) -> tuple[list[Criteria], list[Criteria]]:
    """(ISBN wants, word wants) that the batch might answer: every word of a word want is
    somewhere in the batch. Filters are left to the caller."""
    # Plain rows through the connection: thousands per batch, no ORM objects needed.
    connection = session.connection()
    wanted_ids: set[str] = set()
    isbns = sorted(set(isbns))
    if isbns:
        # The batch's ISBNs in one bound value, as its words below: one statement, where
        # chunks of bound parameters cost a statement each and every parameter bound apart.
        query = select(Want.__table__.c.id).where(
            Want.__table__.c.isbn.in_(_values_in(session, isbns))
        )
        wanted_ids.update(connection.execute(query).scalars())
    # Every word of the batch in one bound value, and the database keeps only the wants
    # whose words are all there: a batch shares common words with most wants, and
    # fetching those to drop them here would cost more than all the rest.
    table = WantTerm.__table__
    complete = (
        select(table.c.want_id)
        .where(table.c.term.in_(_values_in(session, sorted(set(terms)))))
        .group_by(table.c.want_id)
        .having(func.count() == func.max(table.c.terms_in_want))
    )
    wanted_ids.update(connection.execute(complete).scalars())
    isbn_wants: list[Criteria] = []
    word_wants: list[Criteria] = []
    wants = Want.__table__
    for chunk in _chunks(sorted(wanted_ids)):
        for row in connection.execute(select(wants).where(wants.c.id.in_(chunk))).mappings():
            criteria = _criteria(row)
            (isbn_wants if criteria.isbn is not None else word_wants).append(criteria)
    return isbn_wants, word_wants


def record_matches(session: Session, pairs: Sequence[tuple[Criteria, Arrival]]) -> int:
    """Store each new (want, listing) match with its `want.matched` event; skip known pairs.

    The unique key on (want, listing) is the last guard: a pair already notified stays so.
    """
    if not pairs:
        return 0
    listing_ids = sorted({listing.listing_id for _, listing in pairs})
    known: set[tuple[str, str]] = set()
    for chunk in _chunks(listing_ids):
        query = select(WantMatch.want_id, WantMatch.listing_id).where(
            WantMatch.listing_id.in_(chunk)
        )
        known.update((row.want_id, row.listing_id) for row in session.execute(query))
    rows = []
    shipping: list[tuple[int, str, str] | None] = []
    now = utcnow()
    for want, listing in pairs:
        key = (want.want_id, listing.listing_id)
        if key in known:
            continue
        known.add(key)
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "want_id": want.want_id,
                "user_id": want.user_id,
                "listing_id": listing.listing_id,
                "shop_id": listing.shop_id,
                "shop_name": listing.seller.name,
                "title": listing.title[:500],
                "price_amount": listing.price_amount,
                "price_currency": listing.price_currency,
                "matched_at": now,
                "read_at": None,
            }
        )
        shipping.append(listing.cheapest_service_to(want.ships_to) if want.ships_to else None)
    if rows:
        # Plain table inserts: one executemany each, without the ORM's per-row bookkeeping.
        session.execute(insert(WantMatch.__table__), rows)
        # The shopper hears of each match by mail too: its event commits with the match.
        events = [_matched(row, sent) for row, sent in zip(rows, shipping, strict=True)]
        session.execute(insert(OutboxMessage.__table__), [outbox_row(e) for e in events])
    return len(rows)


def _matched(row: dict, shipping: tuple[int, str, str] | None = None) -> WantMatched:
    return WantMatched(
        shipping=None if shipping is None else Money(amount=shipping[0], currency=shipping[1]),
        shipping_service=None if shipping is None else shipping[2],
        match_id=row["id"],
        want_id=row["want_id"],
        user_id=row["user_id"],
        listing_id=row["listing_id"],
        shop_id=row["shop_id"],
        shop_name=row["shop_name"] or "",
        title=row["title"],
        price=Money(amount=row["price_amount"], currency=row["price_currency"]),
    )


def _criteria(row: RowMapping) -> Criteria:
    isbn = row["isbn"]
    return Criteria(
        want_id=row["id"],
        user_id=row["user_id"],
        isbn=isbn,
        terms=terms_of(row["words"]) if isbn is None else (),
        condition_at_least=row["condition_at_least"],
        binding=row["binding"],
        first_edition=bool(row["first_edition"]),
        ships_to=row["ships_to"],
        max_price_amount=row["max_price_amount"],
        max_price_currency=row["max_price_currency"],
    )


def _values_in(session: Session, values: list[str]) -> Select:
    """The strings as one bound value a query can test membership in, on either database."""
    if session.get_bind().dialect.name == "postgresql":
        return select(func.unnest(cast(literal(values, ARRAY(String)), ARRAY(String))))
    listed = func.json_each(literal(json.dumps(values))).table_valued("value")
    return select(listed.c.value)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
