"""Account use cases. Each takes a database session, applies the rules from `accounts`
and commits its own transaction, so a seeding script can call them as they are.

Every change others must hear of is staged in the gateway's outbox in the transaction of
the change: `account.updated` (the account as it is now), `account.deleted`, and
`account.notice` for the mails about the account itself (the notifications service sends
them). A token sent by mail is kept only as its hash.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway import accounts
from gateway.accounts import (
    LOGIN_RATE_LIMIT,
    PAIR_THROTTLE,
    AccountRuleBroken,
    AccountRulesBroken,
    LoginRateLimit,
    PairThrottle,
)
from gateway.db import AccountToken, LoginFailure, OutboxMessage, User
from gateway.people_db import FavouriteShop, Follow, FollowPreference
from services.common.clock import as_utc, utcnow
from services.common.contracts import AccountDeleted, AccountNotice, AccountUpdated, Event
from services.common.messaging.tables import add_to_outbox

VERIFY = "verify_email"
CHANGE_EMAIL = "change_email"
RESET = "reset_password"


class EmailTaken(AccountRuleBroken):
    def __init__(self) -> None:
        super().__init__(
            "email", "An account with this e-mail address already exists. Log in instead."
        )


class InvalidCredentials(Exception):
    """Wrong e-mail or password; which of the two is never said."""


class LoginThrottled(Exception):
    def __init__(self, retry_at: datetime):
        super().__init__(f"too many failed log-ins; retry at {retry_at.isoformat()}")
        self.retry_at = retry_at


class TokenUnusable(Exception):
    """A link that is unknown, already used, or expired; which of them is not said."""


@dataclass(frozen=True)
class Links:
    """Where the links in account mails lead: the site's public address plus the paths the
    gateway serves them on (gateway/views/account.py)."""

    base_url: str

    def verify(self, token: str) -> str:
        return f"{self.base_url.rstrip('/')}/account/verify/{token}"

    def reset(self, token: str) -> str:
        return f"{self.base_url.rstrip('/')}/password/reset/{token}"

    def forgot(self) -> str:
        return f"{self.base_url.rstrip('/')}/password/forgot"

    def invitations(self) -> str:
        # Where an invitation is answered, once signed in (or signed up) with its address.
        return f"{self.base_url.rstrip('/')}/notifications"


def notify_guest_order(session: Session, *, email: str, link: str) -> None:
    """The mail that gives a guest (no account) the signed link to their order."""
    _notice(session, "guest_order", email=email, user=None, link=link)


def notify_invitation(session: Session, *, email: str, shop_name: str, links: Links) -> None:
    """The mail that tells a person a shop invited them, staged with the invitation."""
    _notice(
        session,
        "staff_invitation",
        email=email,
        user=session.scalar(select(User).where(User.email == email)),
        link=links.invitations(),
        shop_name=shop_name,
    )


def _stage(session: Session, event: Event) -> None:
    add_to_outbox(session, OutboxMessage, event)


def _updated(session: Session, user: User) -> None:
    _stage(
        session,
        AccountUpdated(
            user_id=user.id,
            email=user.email,
            display_name=user.display_name,
            email_verified=user.email_verified,
            revision=user.revision,
        ),
    )


def _notice(session: Session, kind: str, *, email: str, user: User | None, **fields) -> None:
    _stage(
        session,
        AccountNotice(
            notice_id=str(uuid.uuid4()),
            kind=kind,
            user_id=user.id if user else None,
            email=email,
            display_name=user.display_name if user else "",
            **fields,
        ),
    )


def _issue_token(session: Session, user: User, purpose: str, email: str, now: datetime) -> str:
    token, hashed = accounts.new_token()
    lifetime = accounts.RESET_TOKEN_LIFETIME if purpose == RESET else accounts.VERIFY_TOKEN_LIFETIME
    session.add(
        AccountToken(
            token_hash=hashed,
            user_id=user.id,
            purpose=purpose,
            email=email,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def _take_token(session: Session, token: str, purposes: tuple[str, ...], now: datetime):
    """The unused, unexpired token row for `token`, marked used; or TokenUnusable."""
    row = session.get(AccountToken, accounts.token_hash(token), with_for_update=True)
    if (
        row is None
        or row.purpose not in purposes
        or row.used_at is not None
        or as_utc(row.expires_at) <= now
    ):
        raise TokenUnusable()
    row.used_at = now
    return row


# --- opening an account -------------------------------------------------------------------


def create_user(
    session: Session,
    email: str,
    display_name: str,
    password: str,
    *,
    check_strength: bool = True,
    email_verified: bool = False,
) -> User:
    """Open an account, or raise AccountRuleBroken (EmailTaken for a known address).

    For scripts and tests that know the address is theirs; people sign up through
    `sign_up`, which never says whether an address has an account. `check_strength=False`
    is for the demo accounts, whose documented password predates the strength rule.
    """
    email = accounts.check_email(email)
    display_name = accounts.check_display_name(display_name)
    if check_strength:
        accounts.check_password(password, about=(email, display_name))
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken()
    user = _new_user(session, email, display_name, password, email_verified=email_verified)
    try:
        session.commit()
    except IntegrityError as error:
        # Two sign-ups with one address at the same moment: the unique index decides.
        session.rollback()
        raise EmailTaken() from error
    return user


def _new_user(
    session: Session, email: str, display_name: str, password: str, *, email_verified: bool
) -> User:
    user = User(
        email=email,
        display_name=display_name,
        password_hash=accounts.hash_password(password),
        email_verified=email_verified,
        session_version=1,
        revision=1,
    )
    session.add(user)
    session.flush()
    _updated(session, user)
    return user


def sign_up(
    session: Session,
    email: str,
    display_name: str,
    password: str,
    *,
    links: Links,
    now: datetime | None = None,
) -> None:
    """Sign up, with the same outcome whether or not the address has an account.

    A new address gets an unverified account and a link to confirm it. A known address
    gets a mail telling its owner that someone tried (with the way back in if they forgot
    their password), and nothing changes. Either way the person is told to check their
    mail; only the owner of the address learns which case it was.
    Raises AccountRulesBroken listing every field that breaks a rule.
    """
    now = now or utcnow()
    problems = accounts.sign_up_problems(email, display_name, password)
    if problems:
        raise AccountRulesBroken(problems)
    email = accounts.normalize_email(email)
    display_name = accounts.check_display_name(display_name)
    owner = session.scalar(select(User).where(User.email == email))
    if owner is not None:
        # As long as hashing the new password would take: timing tells nothing either.
        accounts.verify_nobody(password)
        _notice(session, "signup_existing", email=owner.email, user=owner, link=links.forgot())
        session.commit()
        return
    try:
        user = _new_user(session, email, display_name, password, email_verified=False)
        token = _issue_token(session, user, VERIFY, email, now)
        _notice(session, "verify_email", email=email, user=user, link=links.verify(token))
        session.commit()
    except IntegrityError:
        # Someone signed up with this address a moment ago: the unique index decided.
        session.rollback()
        owner = session.scalar(select(User).where(User.email == email))
        if owner is not None:
            _notice(session, "signup_existing", email=owner.email, user=owner, link=links.forgot())
            session.commit()


def send_verification(
    session: Session, user_id: str, *, links: Links, now: datetime | None = None
) -> None:
    """Send the link that confirms the account's address again (nothing if it is confirmed)."""
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None or user.email_verified:
        session.rollback()
        return
    token = _issue_token(session, user, VERIFY, user.email, now)
    _notice(session, "verify_email", email=user.email, user=user, link=links.verify(token))
    session.commit()


def send_signup_link_again(
    session: Session, email: str, *, links: Links, now: datetime | None = None
) -> None:
    """ "Send it again" after signing up: a new link if the address has an unconfirmed
    account, nothing otherwise (the person is told the same either way)."""
    user = session.scalar(select(User).where(User.email == accounts.normalize_email(email)))
    if user is None or user.email_verified:
        session.rollback()
        return
    send_verification(session, user.id, links=links, now=now)


def confirm_email(session: Session, token: str, *, now: datetime | None = None) -> User:
    """Follow a verify link: the address it was sent to is the account's, and confirmed.

    For a change of address the new one replaces the old, which is told of the change.
    Raises TokenUnusable, or EmailTaken when the new address has an account meanwhile.
    """
    now = now or utcnow()
    row = _take_token(session, token, (VERIFY, CHANGE_EMAIL), now)
    user = session.get(User, row.user_id)
    if user is None:  # pragma: no cover - tokens go with their account (ON DELETE CASCADE)
        raise TokenUnusable()
    previous = user.email
    if row.email != previous:
        if row.purpose != CHANGE_EMAIL:
            # A verify link for an address the account no longer has.
            session.rollback()
            raise TokenUnusable()
        if session.scalar(select(User.id).where(User.email == row.email)) is not None:
            session.rollback()
            raise EmailTaken()
        user.email = row.email
        _forget_failures(session, previous)
    changed = row.email != previous or not user.email_verified
    user.email_verified = True
    if changed:
        user.revision += 1
        session.flush()
        _updated(session, user)
    if row.email != previous:
        _notice(session, "email_changed", email=user.email, user=user, previous_email=previous)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise EmailTaken() from error
    return user


# --- logging in ---------------------------------------------------------------------------


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    ip: str,
    now: datetime | None = None,
    limit: LoginRateLimit = LOGIN_RATE_LIMIT,
    throttle: PairThrottle = PAIR_THROTTLE,
) -> User:
    """The user these credentials belong to; failures are recorded and throttled.

    Two throttles, neither of which locks an account for everyone: the pair of this address
    and this client waits longer after each failure, and one client trying many addresses
    is stopped after a number of failures.
    """
    now = now or utcnow()
    email = accounts.normalize_email(email)[: accounts.MAX_EMAIL_LENGTH]
    window_start = now - max(limit.window, throttle.memory)
    pair = _failure_times(
        session, (LoginFailure.email == email) & (LoginFailure.ip == ip), window_start
    )
    from_client = _failure_times(session, LoginFailure.ip == ip, now - limit.window)
    waits = [
        moment
        for moment in (throttle.retry_at(pair, now), limit.retry_at(from_client, now))
        if moment is not None
    ]
    if waits:
        session.rollback()
        raise LoginThrottled(max(waits))

    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        accounts.verify_nobody(password)
    elif accounts.verify_password(user.password_hash, password):
        if accounts.needs_rehash(user.password_hash):
            user.password_hash = accounts.hash_password(password)
        session.execute(
            delete(LoginFailure).where(LoginFailure.email == email, LoginFailure.ip == ip)
        )
        session.commit()
        return user

    session.add(LoginFailure(email=email, ip=ip, at=now))
    # Old failures no longer count; dropping them here keeps the table small.
    session.execute(delete(LoginFailure).where(LoginFailure.at <= window_start))
    session.commit()
    raise InvalidCredentials()


def _failure_times(
    session: Session, condition: ColumnElement[bool], since: datetime
) -> list[datetime]:
    rows = session.scalars(select(LoginFailure.at).where(condition, LoginFailure.at > since))
    return [as_utc(at) for at in rows]


def _forget_failures(session: Session, email: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))


def load_session_user(session: Session, user_id: str, session_version: int) -> User | None:
    """The user a session cookie names, unless that session has since been ended."""
    user = session.get(User, user_id)
    if user is None or user.session_version != session_version:
        return None
    return user


def end_all_sessions(session: Session, user_id: str) -> None:
    """Log the user out everywhere: every cookie holding the old version stops working."""
    session.execute(
        update(User).where(User.id == user_id).values(session_version=User.session_version + 1)
    )
    session.commit()


# --- forgotten password -------------------------------------------------------------------


def request_password_reset(
    session: Session, email: str, *, links: Links, now: datetime | None = None
) -> None:
    """Mail a reset link if an account has this address; the caller answers the same
    either way. Earlier unused links of the account stop working: only the newest counts."""
    now = now or utcnow()
    email = accounts.normalize_email(email)
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        session.rollback()
        return
    session.execute(
        delete(AccountToken).where(AccountToken.user_id == user.id, AccountToken.purpose == RESET)
    )
    token = _issue_token(session, user, RESET, user.email, now)
    _notice(session, "reset_password", email=user.email, user=user, link=links.reset(token))
    session.commit()


def reset_token_usable(session: Session, token: str, *, now: datetime | None = None) -> bool:
    now = now or utcnow()
    row = session.get(AccountToken, accounts.token_hash(token))
    usable = (
        row is not None
        and row.purpose == RESET
        and row.used_at is None
        and as_utc(row.expires_at) > now
    )
    # Ended before the page is drawn: on SQLite an open transaction holds the write lock.
    session.rollback()
    return usable


def reset_password(
    session: Session, token: str, new_password: str, *, now: datetime | None = None
) -> User:
    """Set a new password through a reset link: the link is used up, every session of the
    account ends, and the address is confirmed (the link reached it)."""
    now = now or utcnow()
    row = session.get(AccountToken, accounts.token_hash(token))
    user = session.get(User, row.user_id) if row is not None else None
    if user is not None:
        # Checked before the token is taken, so a refused password leaves the link usable.
        try:
            accounts.check_password(new_password, about=(user.email, user.display_name))
        except AccountRuleBroken:
            session.rollback()
            raise
    _take_token(session, token, (RESET,), now)
    assert user is not None  # a usable token always has its account
    user.password_hash = accounts.hash_password(new_password)
    user.session_version += 1
    if not user.email_verified:
        user.email_verified = True
        user.revision += 1
        session.flush()
        _updated(session, user)
    session.execute(
        delete(AccountToken).where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == RESET,
            AccountToken.used_at.is_(None),
        )
    )
    # Whoever guessed at the password before has nothing left to guess: start afresh.
    _forget_failures(session, user.email)
    _notice(session, "password_changed", email=user.email, user=user)
    session.commit()
    return user


# --- the account page ---------------------------------------------------------------------


def change_password(session: Session, user_id: str, current: str, new: str) -> User:
    """Replace the password and end every other session, which still holds the old version."""
    user = session.get(User, user_id)
    if user is None or not accounts.verify_password(user.password_hash, current):
        session.rollback()
        raise AccountRuleBroken("current_password", "That is not your current password.")
    try:
        accounts.check_password(new, field="new_password", about=(user.email, user.display_name))
    except AccountRuleBroken:
        session.rollback()
        raise
    user.password_hash = accounts.hash_password(new)
    user.session_version += 1
    _notice(session, "password_changed", email=user.email, user=user)
    session.commit()
    return user


def change_display_name(session: Session, user_id: str, display_name: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountRuleBroken("display_name", "This account no longer exists.")
    display_name = accounts.check_display_name(display_name)
    if display_name != user.display_name:
        user.display_name = display_name
        user.revision += 1
        session.flush()
        _updated(session, user)
    session.commit()
    return user


def request_email_change(
    session: Session,
    user_id: str,
    new_email: str,
    password: str,
    *,
    links: Links,
    now: datetime | None = None,
) -> str:
    """Send a link to the new address; the change happens when it is followed there.

    The answer is the same whether or not the new address has an account (that is found
    out by whoever follows the link, who owns the address). Returns the new address.
    """
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None or not accounts.verify_password(user.password_hash, password):
        session.rollback()
        raise AccountRuleBroken("password", "That is not your current password.")
    try:
        new_email = accounts.check_email(new_email)
    except AccountRuleBroken as broken:
        session.rollback()
        raise AccountRuleBroken("new_email", broken.message) from broken
    if new_email == user.email:
        session.rollback()
        raise AccountRuleBroken("new_email", "That is already your address.")
    token = _issue_token(session, user, CHANGE_EMAIL, new_email, now)
    _notice(session, "verify_email", email=new_email, user=user, link=links.verify(token))
    session.commit()
    return new_email


def delete_account(session: Session, user_id: str, password: str) -> None:
    """Delete the account and everything the gateway keeps about the person.

    `account.deleted` tells the services that write to people to forget them. What the
    shops keep for their records (orders, their messages) stays with them.
    """
    user = session.get(User, user_id)
    if user is None or not accounts.verify_password(user.password_hash, password):
        session.rollback()
        raise AccountRuleBroken("password", "That is not your current password.")
    session.execute(
        delete(Follow).where(or_(Follow.follower_id == user_id, Follow.followee_id == user_id))
    )
    session.execute(delete(FollowPreference).where(FollowPreference.user_id == user_id))
    session.execute(delete(FavouriteShop).where(FavouriteShop.user_id == user_id))
    session.execute(delete(AccountToken).where(AccountToken.user_id == user_id))
    _forget_failures(session, user.email)
    session.delete(user)
    _stage(session, AccountDeleted(user_id=user_id))
    session.commit()
