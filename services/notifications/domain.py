"""What the notifications service decides, with no database, broker or HTTP in sight:
the kinds of mail and who may turn them off, when a mail is tried again, what a refusal
means, and the identities that make a mail the same mail however often it is made."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Kind(StrEnum):
    # To a shop's members.
    NEW_ORDER = "new_order"
    ANSWER_REMINDER = "answer_reminder"
    READY_TO_SHIP = "ready_to_ship"
    EXTRA_CHARGE_ANSWER = "extra_charge_answer"
    MESSAGE_TO_SHOP = "message_to_shop"
    NEW_REVIEW = "new_review"
    # Operational: a switched-off webhook receiver, the shop suspended or reinstated by the
    # platform. Always sent, never a preference.
    WEBHOOK_DISABLED = "webhook_disabled"
    SHOP_SUSPENSION = "shop_suspension"
    # To the buyer.
    ORDER_CONFIRMED = "order_confirmed"
    ORDER_ACCEPTED = "order_accepted"
    ORDER_DECLINED = "order_declined"
    ORDER_SHIPPED = "order_shipped"
    READY_TO_COLLECT = "ready_to_collect"
    EXTRA_CHARGE_PROPOSED = "extra_charge_proposed"
    MESSAGE_TO_BUYER = "message_to_buyer"
    WANT_MATCHES = "want_matches"
    # About the account itself: always sent, never offered as a preference.
    ACCOUNT = "account"


@dataclass(frozen=True)
class Preference:
    kind: Kind
    audience: str  # "shop" or "buyer"
    label: str


# The kinds a person may turn off, in the order the preferences page lists them.
PREFERENCES: tuple[Preference, ...] = (
    Preference(Kind.ORDER_CONFIRMED, "buyer", "Confirmation of each order I place"),
    Preference(Kind.ORDER_ACCEPTED, "buyer", "A shop accepted my order"),
    Preference(Kind.ORDER_DECLINED, "buyer", "A shop declined my order"),
    Preference(Kind.ORDER_SHIPPED, "buyer", "A shop shipped my order, with its note"),
    Preference(Kind.READY_TO_COLLECT, "buyer", "My order waits at the shop for me to collect"),
    Preference(Kind.EXTRA_CHARGE_PROPOSED, "buyer", "A shop asks for an extra charge"),
    Preference(Kind.MESSAGE_TO_BUYER, "buyer", "A shop wrote to me"),
    Preference(Kind.WANT_MATCHES, "buyer", "Copies matching my wants (at most hourly)"),
    Preference(Kind.NEW_ORDER, "shop", "A new order for my shop"),
    Preference(Kind.ANSWER_REMINDER, "shop", "Reminder before an unanswered order is declined"),
    Preference(Kind.READY_TO_SHIP, "shop", "An order's payment is confirmed: ready to ship"),
    Preference(Kind.EXTRA_CHARGE_ANSWER, "shop", "The buyer's answer to an extra charge"),
    Preference(Kind.MESSAGE_TO_SHOP, "shop", "A buyer wrote to my shop"),
    Preference(Kind.NEW_REVIEW, "shop", "A new review of my shop"),
)
OPTIONAL_KINDS = frozenset(preference.kind for preference in PREFERENCES)


def may_turn_off(kind: str) -> bool:
    return kind in OPTIONAL_KINDS


class MailStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent, or to be tried again
    SENT = "sent"  # the SMTP server accepted it
    REFUSED = "refused"  # the server refused the address for good (5xx)
    SUPPRESSED = "suppressed"  # not sent: the address was refused before, or is gone


# Every mail's id is derived from what makes it one mail: the event that caused it, who it
# is for and what kind it is. The same event applied twice makes the same id, which is
# unique in the table and is also the mail's Message-ID.
_MAIL_NAMESPACE = uuid.UUID("6f1d7c44-3a0e-4c1b-9a57-0c5b2f7e8d10")


def mail_id(*, event_id: str, recipient: str, kind: str) -> str:
    return str(uuid.uuid5(_MAIL_NAMESPACE, f"{event_id}/{recipient}/{kind}"))


def message_id(mail_id_: str, *, domain: str) -> str:
    return f"<{mail_id_}@{domain}>"


def recipient_of(*, user_id: str | None, email: str | None) -> str:
    """The key a mail's recipient is known by: the person, or a bare address (a mail about
    an account that may not exist, such as a sign-up with an address already taken)."""
    if user_id:
        return user_id
    assert email, "a mail needs a person or an address"
    return "email:" + email.strip().lower()


def retry_delay(attempts: int, *, longest: float) -> timedelta:
    """How long to wait before trying a mail again after `attempts` failed tries:
    5 s, 10 s, 20 s ... up to `longest`."""
    return timedelta(seconds=min(5.0 * 2 ** max(attempts - 1, 0), longest))


def is_permanent(code: int) -> bool:
    """An SMTP reply that will not change by trying again (5xx); 4xx means later."""
    return 500 <= code < 600


def digest_due(*, last_sent: datetime | None, now: datetime, every: timedelta) -> bool:
    """Whether a person's gathered want matches may go out now: at most one mail per `every`."""
    return last_sent is None or now - last_sent >= every


def digest_event_id(user_id: str, number: int) -> str:
    """The made-up event of a person's n-th gathered want mail: the same every time."""
    return str(uuid.uuid5(_MAIL_NAMESPACE, f"want-digest/{user_id}/{number}"))
