"""Want-list matches, gathered: at most one mail an hour per person, run by the worker.

Each mail takes every match waiting for the person and removes them in the same
transaction, and counts the person's digests: the n-th digest's mail has an id of its own
(see `handlers.digest_event_id`), so running this twice at once still makes one mail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from services.common.clock import as_utc, utcnow
from services.notifications.compose import Composer
from services.notifications.db import MatchDigest, WaitingMatch
from services.notifications.domain import Kind, digest_due, digest_event_id


def send_due_digests(
    session_factory: sessionmaker,
    composer: Composer,
    *,
    every: timedelta,
    now: datetime | None = None,
) -> int:
    """Make the gathered-matches mail of everyone whose hour has passed; return how many."""
    now = now or utcnow()
    with session_factory() as session:
        waiting = list(session.scalars(select(WaitingMatch.user_id).distinct()))
    made = 0
    for user_id in waiting:
        with session_factory.begin() as session:
            digest = session.get(MatchDigest, user_id, with_for_update=True)
            last = as_utc(digest.last_sent_at) if digest is not None else None
            if not digest_due(last_sent=last, now=now, every=every):
                continue
            rows = list(
                session.scalars(
                    select(WaitingMatch)
                    .where(WaitingMatch.user_id == user_id)
                    .order_by(WaitingMatch.received_at, WaitingMatch.match_id)
                )
            )
            if not rows:
                continue
            number = (digest.count if digest is not None else 0) + 1
            matches = [row.match for row in rows]
            count = len(matches)
            composer.mail(
                session,
                event_id=digest_event_id(user_id, number),
                event_at=now,
                kind=Kind.WANT_MATCHES,
                user_id=user_id,
                subject=f"{count} new {'copy' if count == 1 else 'copies'} matching your wants",
                template="want_matches",
                context={"matches": matches},
                link=composer.links.page("/wants/matches"),
                link_label="See your matches",
            )
            session.execute(
                delete(WaitingMatch).where(
                    WaitingMatch.match_id.in_([row.match_id for row in rows])
                )
            )
            if digest is None:
                session.add(MatchDigest(user_id=user_id, last_sent_at=now, count=number))
            else:
                digest.last_sent_at, digest.count = now, number
            made += 1
    return made
