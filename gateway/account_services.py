"""Account use cases. Each takes a database session, applies the rules from `accounts`
and commits its own transaction, so a seeding script can call them as they are."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway import accounts
from gateway.accounts import LOGIN_RATE_LIMIT, AccountRuleBroken, LoginRateLimit
from gateway.db import LoginFailure, User


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


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; every time we store is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_user(session: Session, email: str, display_name: str, password: str) -> User:
    """Open an account, or raise AccountRuleBroken (EmailTaken for a known address)."""
    email = accounts.check_email(email)
    display_name = accounts.check_display_name(display_name)
    accounts.check_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken()
    user = User(
        email=email, display_name=display_name, password_hash=accounts.hash_password(password)
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError as error:
        # Two sign-ups with one address at the same moment: the unique index decides.
        session.rollback()
        raise EmailTaken() from error
    return user


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    ip: str,
    now: datetime | None = None,
    limit: LoginRateLimit = LOGIN_RATE_LIMIT,
) -> User:
    """The user these credentials belong to; failures are recorded and rate limited."""
    now = now or datetime.now(UTC)
    email = accounts.normalize_email(email)
    # Each e-mail and each address has its own budget of failures.
    waits = [
        moment
        for moment in (
            limit.retry_at(_failure_times(session, LoginFailure.email == email, now, limit), now),
            limit.retry_at(_failure_times(session, LoginFailure.ip == ip, now, limit), now),
        )
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
        session.execute(delete(LoginFailure).where(LoginFailure.email == email))
        session.commit()
        return user

    session.add(LoginFailure(email=email[: accounts.MAX_EMAIL_LENGTH], ip=ip, at=now))
    # Old failures no longer count; dropping them here keeps the table small.
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - limit.window))
    session.commit()
    raise InvalidCredentials()


def _failure_times(
    session: Session, condition: ColumnElement[bool], now: datetime, limit: LoginRateLimit
) -> list[datetime]:
    rows = session.scalars(
        select(LoginFailure.at).where(condition, LoginFailure.at > now - limit.window)
    )
    return [_aware(at) for at in rows]


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


def change_password(session: Session, user_id: str, current: str, new: str) -> User:
    """Replace the password and end every other session, which still holds the old version."""
    user = session.get(User, user_id)
    if user is None or not accounts.verify_password(user.password_hash, current):
        raise AccountRuleBroken("current_password", "That is not your current password.")
    accounts.check_password(new)
    user.password_hash = accounts.hash_password(new)
    user.session_version += 1
    session.commit()
    return user
