"""Account rules and use cases, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import gateway
from gateway import account_services, accounts
from gateway.accounts import AccountRuleBroken, LoginRateLimit, PairThrottle
from gateway.db import User
from services.common.db import make_engine, make_session_factory
from tests import support

MIGRATIONS = Path(gateway.__file__).parent / "migrations"
PASSWORD = "correct horse battery"


@pytest.fixture
def session(database_url: str):
    support.migrate(MIGRATIONS, database_url)
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def a_user(session: Session, email: str = "ada@example.org", name: str = "Ada") -> User:
    return account_services.create_user(session, email, name, PASSWORD)


def test_create_user_stores_lowercased_email_and_argon2id_hash(session: Session):
    user = a_user(session, email="  Ada@Example.ORG ")

    assert user.email == "ada@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.session_version == 1


def test_default_hasher_is_argon2id_with_library_cost():
    # The suite swaps in a cheap hasher; production keeps argon2-cffi's recommended profile.
    assert accounts.DEFAULT_HASHER.type.name == "ID"
    assert accounts.DEFAULT_HASHER.memory_cost >= 65536


def test_create_user_duplicate_email_refused_whatever_its_case(session: Session):
    a_user(session)

    with pytest.raises(account_services.EmailTaken) as refused:
        a_user(session, email="ADA@example.org")

    assert refused.value.field == "email"
    assert "already exists" in refused.value.message


@pytest.mark.parametrize(
    ("email", "name", "password", "field"),
    [
        ("not-an-address", "Ada", PASSWORD, "email"),
        ("ada@example.org", "   ", PASSWORD, "display_name"),
        ("ada@example.org", "Ada", "short", "password"),
        ("ada@example.org", "Ada", "password12345", "password"),
        ("ada@example.org", "Ada", "qwertyuiop123", "password"),
    ],
)
def test_create_user_breaking_a_rule_names_the_field(
    session: Session, email: str, name: str, password: str, field: str
):
    with pytest.raises(AccountRuleBroken) as refused:
        account_services.create_user(session, email, name, password)

    assert refused.value.field == field
    assert session.query(User).count() == 0


def test_authenticate_wrong_password_is_refused_and_recorded(session: Session):
    a_user(session)

    with pytest.raises(account_services.InvalidCredentials):
        account_services.authenticate(session, "ada@example.org", "wrong password", ip="10.0.0.1")

    user = account_services.authenticate(session, "ADA@example.org", PASSWORD, ip="10.0.0.1")
    assert user.email == "ada@example.org"


def test_authenticate_failures_of_one_pair_wait_longer_each_time(session: Session):
    a_user(session)
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    for _ in range(3):  # typos are free
        with pytest.raises(account_services.InvalidCredentials):
            account_services.authenticate(
                session, "ada@example.org", "nope", ip="10.0.0.1", now=now
            )

    with pytest.raises(account_services.LoginThrottled) as first:
        # Even the right password waits: the throttle is checked before the password.
        account_services.authenticate(session, "ada@example.org", PASSWORD, ip="10.0.0.1", now=now)
    assert first.value.retry_at == now + timedelta(seconds=1)

    later = now + timedelta(seconds=1)
    with pytest.raises(account_services.InvalidCredentials):
        account_services.authenticate(session, "ada@example.org", "nope", ip="10.0.0.1", now=later)
    with pytest.raises(account_services.LoginThrottled) as second:
        account_services.authenticate(
            session, "ada@example.org", PASSWORD, ip="10.0.0.1", now=later
        )
    assert second.value.retry_at == later + timedelta(seconds=2)

    # Meanwhile the owner, from another client, logs in at once.
    assert account_services.authenticate(
        session, "ada@example.org", PASSWORD, ip="10.0.0.2", now=later
    )


def test_authenticate_after_many_failures_on_one_address_others_still_log_in(session: Session):
    # Guesses from ten clients used to lock the account for everyone for 15 minutes.
    a_user(session)
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    for attempt in range(10):
        with pytest.raises(account_services.InvalidCredentials):
            account_services.authenticate(
                session, "ada@example.org", "nope", ip=f"10.0.0.{attempt}", now=now
            )

    assert account_services.authenticate(
        session, "ada@example.org", PASSWORD, ip="10.9.9.9", now=now
    )


def test_pair_throttle_doubles_the_wait_up_to_its_ceiling():
    throttle = PairThrottle(
        free_failures=3, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=15)
    )
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

    assert [throttle.delay_after(n).total_seconds() for n in range(7)] == [0, 0, 0, 1, 2, 4, 8]
    assert throttle.delay_after(40) == timedelta(minutes=15)
    assert throttle.retry_at([now - timedelta(seconds=5)] * 5, now) is None
    assert throttle.retry_at([now - timedelta(hours=2)] * 50, now) is None


def test_authenticate_after_ten_failures_from_one_ip_is_throttled(session: Session):
    a_user(session)
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    for attempt in range(10):
        with pytest.raises(account_services.InvalidCredentials):
            account_services.authenticate(
                session, f"guess{attempt}@example.org", "nope", ip="10.0.0.1", now=now
            )

    with pytest.raises(account_services.LoginThrottled):
        account_services.authenticate(session, "ada@example.org", PASSWORD, ip="10.0.0.1", now=now)
    assert account_services.authenticate(
        session, "ada@example.org", PASSWORD, ip="10.0.0.2", now=now
    )


def test_retry_at_waits_until_enough_failures_age_out():
    limit = LoginRateLimit(max_failures=3, window=timedelta(minutes=15))
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    failures = [now - timedelta(minutes=m) for m in (20, 10, 5, 1)]

    # Inside the window: 10, 5 and 1 minutes ago; the oldest of them leaves in 5 minutes.
    assert limit.retry_at(failures, now) == now + timedelta(minutes=5)
    assert limit.retry_at(failures[:2], now) is None


def test_end_all_sessions_makes_the_old_version_stale(session: Session):
    user = a_user(session)

    account_services.end_all_sessions(session, user.id)

    assert account_services.load_session_user(session, user.id, 1) is None
    assert account_services.load_session_user(session, user.id, 2) is not None


def test_change_password_requires_current_and_bumps_version(session: Session):
    user = a_user(session)

    with pytest.raises(AccountRuleBroken):
        account_services.change_password(session, user.id, "not it", "a new password")
    changed = account_services.change_password(session, user.id, PASSWORD, "a new password")

    assert changed.session_version == 2
    assert account_services.authenticate(session, user.email, "a new password", ip="10.0.0.1")
