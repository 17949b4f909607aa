"""Who is who, learned from events: addresses and their revisions, a deleted account, a
shop's members and their revisions."""

from __future__ import annotations

import pytest

from services.common.contracts import AccountDeleted, ReviewPosted
from services.notifications.db import KnownShop, Person
from services.notifications.outbound import MailSender
from services.notifications.smtp import SmtpTransport
from tests.notifications.factories import account, confirmed, line, members, new_id, part

pytestmark = pytest.mark.integration


def get(notifications, model, key):
    with notifications.runtime.session_factory() as session:
        return session.get(model, key)


def send(notifications) -> int:
    sender = MailSender(
        notifications.runtime.session_factory,
        SmtpTransport(notifications.settings.smtp_url),
        mail_from=notifications.settings.mail_from,
    )
    try:
        return sender.send_due()[0]
    finally:
        sender.transport.close()


def test_an_older_copy_of_an_account_never_replaces_a_newer_one(notifications):
    notifications.deliver(account("ada", "ada@new.example", "Ada", revision=3))
    notifications.deliver(account("ada", "ada@old.example", "Ada", revision=2))

    assert get(notifications, Person, "ada").email == "ada@new.example"

    notifications.deliver(confirmed(("ada", "Ada"), part(new_id(), line("Emma", 1250))))
    assert send(notifications) == 1
    assert notifications.smtp.to("ada@new.example") and not notifications.smtp.to("ada@old.example")


def test_a_deleted_account_forgets_the_address_and_its_waiting_mails_are_not_sent(
    notifications,
):
    notifications.deliver(account("ada", "ada@example.org", "Ada"))
    notifications.deliver(confirmed(("ada", "Ada"), part(new_id(), line("Emma", 1250))))

    notifications.deliver(AccountDeleted(user_id="ada"))
    notifications.deliver(account("ada", "ada@example.org", "Ada", revision=9))

    person = get(notifications, Person, "ada")
    assert (person.email, person.deleted) == ("", True)
    assert send(notifications) == 0
    assert [m.status for m in notifications.mails()] == ["suppressed"]


def test_members_follow_the_newest_list_and_each_member_is_told(notifications):
    shop = new_id()
    for user, email in (("camille", "camille@x.example"), ("sam", "sam@x.example")):
        notifications.deliver(account(user, email, user.title()))
    notifications.deliver(members(shop, "Rue des Livres", "camille", "sam", revision=2))
    notifications.deliver(members(shop, "Rue des Livres", "camille", revision=1))  # late

    assert get(notifications, KnownShop, shop).members == ["camille", "sam"]

    notifications.deliver(members(shop, "Rue des Livres", "camille", revision=3))
    notifications.deliver(
        ReviewPosted.model_validate(
            {
                "review_id": new_id(),
                "shop_id": shop,
                "shop_order_id": new_id(),
                "rating": 4,
                "text": "Good.",
                "reputation": {"average": 4, "count": 1, "positive_share": 1, "revision": 1},
            }
        )
    )
    assert send(notifications) == 1
    assert notifications.smtp.to("camille@x.example") and not notifications.smtp.to("sam@x.example")
