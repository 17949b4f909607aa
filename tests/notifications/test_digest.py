"""Want-list matches, gathered: at most one mail an hour per person."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.clock import utcnow
from services.common.contracts import WantMatched
from services.notifications.digest import send_due_digests
from services.notifications.worker import composer_for
from tests.notifications.factories import account, eur, new_id

pytestmark = pytest.mark.integration

HOUR = timedelta(hours=1)


def match(user_id: str, title: str) -> WantMatched:
    return WantMatched(
        match_id=new_id(),
        want_id=new_id(),
        user_id=user_id,
        listing_id=new_id(),
        shop_id="shop",
        shop_name="Hogarth Books",
        title=title,
        price=eur(800),
    )


def digests(notifications, **options) -> int:
    composer = composer_for(notifications.settings)
    return send_due_digests(notifications.runtime.session_factory, composer, every=HOUR, **options)


def test_matches_are_gathered_into_at_most_one_mail_an_hour(notifications):
    notifications.deliver(account("ada", "ada@example.org", "Ada"))
    first = match("ada", "Middlemarch")
    notifications.deliver(first)
    notifications.deliver(first)  # the same event again: one match

    assert digests(notifications) == 1
    notifications.deliver(match("ada", "Persuasion"))
    notifications.deliver(match("ada", "Emma"))
    assert digests(notifications, now=utcnow() + timedelta(minutes=59)) == 0
    assert digests(notifications, now=utcnow() + HOUR + timedelta(seconds=1)) == 1
    assert digests(notifications, now=utcnow() + 2 * HOUR) == 0  # nothing new waits

    mails = notifications.mails(kind="want_matches")
    assert [m.subject for m in mails] == [
        "1 new copy matching your wants",
        "2 new copies matching your wants",
    ]
    assert "Middlemarch" in mails[0].text_body and "Middlemarch" not in mails[1].text_body
    assert "Persuasion" in mails[1].text_body and "Emma" in mails[1].text_body


def test_each_person_has_an_hour_of_their_own(notifications):
    notifications.deliver(match("ada", "Middlemarch"))
    assert digests(notifications) == 1
    notifications.deliver(match("ben", "Dune"))
    notifications.deliver(match("ada", "Emma"))

    assert digests(notifications) == 1  # Ben's first, Ada still within her hour
    assert {m.user_id for m in notifications.mails(kind="want_matches")} == {"ada", "ben"}
