"""Friends and favourite shops: the rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import gateway
from gateway import account_services, people_services
from gateway.accounts import AccountRuleBroken
from gateway.db import User
from gateway.people_db import Follow
from gateway.people_services import FollowNotFound
from services.common.db import make_engine, make_session_factory
from tests import support

MIGRATIONS = Path(gateway.__file__).parent / "migrations"


@pytest.fixture
def session(database_url: str):
    support.migrate(MIGRATIONS, database_url)
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def a_user(session: Session, name: str) -> User:
    return account_services.create_user(
        session, f"{name.lower()}@example.org", name, "correct horse battery"
    )


@pytest.fixture
def ann(session: Session) -> User:
    return a_user(session, "Ann")


@pytest.fixture
def ben(session: Session) -> User:
    return a_user(session, "Ben")


def ask(session: Session, follower: User, followee_email: str) -> None:
    people_services.ask_to_follow(session, follower_id=follower.id, email=followee_email)


def request_from(session: Session, follower: User, followee: User) -> str:
    """Ann asks to follow Ben; the id of the request Ben sees."""
    ask(session, follower, followee.email)
    waiting = people_services.overview(session, followee.id).requests_in
    return next(link.id for link in waiting if link.person.id == follower.id)


def followee_ids(session: Session, user: User) -> list[str]:
    return [person.id for person in people_services.followees(session, user.id)]


def test_ask_to_follow_a_known_and_an_unknown_address_look_the_same_to_the_asker(session, ann, ben):
    ask(session, ann, "  BEN@example.org ")
    ask(session, ann, "nobody@example.org")

    sent = people_services.overview(session, ann.id).requests_out
    assert sorted(request.email for request in sent) == ["ben@example.org", "nobody@example.org"]
    assert people_services.followees(session, ann.id) == []
    waiting = people_services.overview(session, ben.id).requests_in
    assert [(link.person.display_name, link.person.email) for link in waiting] == [
        ("Ann", "ann@example.org")
    ]
    assert people_services.requests_waiting(session, ben.id) == 1


def test_accepted_follow_makes_the_followee_visible_to_the_follower_only(session, ann, ben):
    follow_id = request_from(session, ann, ben)

    people_services.accept(session, user_id=ben.id, follow_id=follow_id)

    assert followee_ids(session, ann) == [ben.id]
    assert followee_ids(session, ben) == []
    assert [link.person.id for link in people_services.overview(session, ben.id).followers] == [
        ann.id
    ]
    assert people_services.overview(session, ann.id).requests_out == []
    assert people_services.requests_waiting(session, ben.id) == 0


def test_pending_and_declined_follows_show_nothing(session, ann, ben):
    cat = a_user(session, "Cat")
    request_from(session, ann, ben)  # left pending
    declined = request_from(session, ann, cat)

    people_services.decline(session, user_id=cat.id, follow_id=declined)

    assert followee_ids(session, ann) == []
    # The asker is not told: the request still reads as sent.
    assert {r.email for r in people_services.overview(session, ann.id).requests_out} == {
        "ben@example.org",
        "cat@example.org",
    }


def test_asking_again_after_a_decline_does_not_reach_the_person_again(session, ann, ben):
    follow_id = request_from(session, ann, ben)
    people_services.decline(session, user_id=ben.id, follow_id=follow_id)
    people_services.end_follow(session, user_id=ann.id, follow_id=follow_id)  # withdraw

    ask(session, ann, ben.email)

    assert people_services.overview(session, ben.id).requests_in == []
    assert [r.email for r in people_services.overview(session, ann.id).requests_out] == [ben.email]
    assert followee_ids(session, ann) == []


def test_a_person_who_turned_requests_off_cannot_be_asked(session, ann, ben):
    people_services.set_accepts_requests(session, user_id=ben.id, accepts=False)

    ask(session, ann, ben.email)

    assert people_services.overview(session, ben.id).requests_in == []
    assert people_services.requests_waiting(session, ben.id) == 0
    assert not people_services.overview(session, ben.id).accepts_requests
    # Ann sees what she would see for any address.
    assert [r.email for r in people_services.overview(session, ann.id).requests_out] == [ben.email]
    people_services.set_accepts_requests(session, user_id=ben.id, accepts=True)
    assert people_services.overview(session, ben.id).requests_in == []


def test_turning_requests_off_keeps_the_ones_already_waiting(session, ann, ben):
    follow_id = request_from(session, ann, ben)
    people_services.set_accepts_requests(session, user_id=ben.id, accepts=False)

    people_services.accept(session, user_id=ben.id, follow_id=follow_id)

    assert followee_ids(session, ann) == [ben.id]


def test_unfollow_ends_the_follow_and_allows_a_new_request(session, ann, ben):
    follow_id = request_from(session, ann, ben)
    people_services.accept(session, user_id=ben.id, follow_id=follow_id)

    people_services.end_follow(session, user_id=ann.id, follow_id=follow_id)

    assert followee_ids(session, ann) == []
    assert people_services.overview(session, ben.id).followers == []
    request_from(session, ann, ben)
    assert people_services.requests_waiting(session, ben.id) == 1


def test_removing_a_follower_hides_everything_and_their_new_requests(session, ann, ben):
    follow_id = request_from(session, ann, ben)
    people_services.accept(session, user_id=ben.id, follow_id=follow_id)

    people_services.end_follow(session, user_id=ben.id, follow_id=follow_id)

    assert followee_ids(session, ann) == []
    assert people_services.overview(session, ann.id).following == []
    assert people_services.overview(session, ann.id).requests_out == []
    ask(session, ann, ben.email)
    assert people_services.overview(session, ben.id).requests_in == []


def test_only_the_two_people_concerned_can_answer_or_end_a_follow(session, ann, ben):
    mallory = a_user(session, "Mallory")
    follow_id = request_from(session, ann, ben)

    for action in (people_services.accept, people_services.decline, people_services.end_follow):
        with pytest.raises(FollowNotFound):
            action(session, user_id=mallory.id, follow_id=follow_id)
    # The asker cannot accept their own request, nor the followee end a pending one.
    with pytest.raises(FollowNotFound):
        people_services.accept(session, user_id=ann.id, follow_id=follow_id)
    with pytest.raises(FollowNotFound):
        people_services.end_follow(session, user_id=ben.id, follow_id=follow_id)
    with pytest.raises(FollowNotFound):
        people_services.accept(session, user_id=ben.id, follow_id="no-such-follow")
    assert people_services.requests_waiting(session, ben.id) == 1
    assert followee_ids(session, ann) == []


def test_ask_to_follow_yourself_or_a_malformed_address_is_refused(session, ann):
    for address in ("ANN@example.org", "not an address"):
        with pytest.raises(AccountRuleBroken) as refused:
            ask(session, ann, address)
        assert refused.value.field == "email"
    assert session.scalar(select(func.count(Follow.id))) == 0


def test_ask_to_follow_is_capped(session, ann, monkeypatch):
    monkeypatch.setattr(people_services, "MAX_FOLLOWING", 2)
    ask(session, ann, "one@example.org")
    ask(session, ann, "two@example.org")

    with pytest.raises(AccountRuleBroken, match="withdraw a request"):
        ask(session, ann, "three@example.org")
    ask(session, ann, "two@example.org")  # asking again is not a new request

    assert session.scalar(select(func.count(Follow.id))) == 2


def test_favourite_shops_follow_refresh_cap_and_unfollow(session, ann, ben, monkeypatch):
    people_services.follow_shop(
        session, user_id=ann.id, shop_id="shop-1", shop_name="Old name", shop_slug=None
    )
    people_services.follow_shop(
        session, user_id=ann.id, shop_id="shop-1", shop_name="Mara's Books", shop_slug="maras"
    )
    monkeypatch.setattr(people_services, "MAX_FAVOURITE_SHOPS", 2)
    people_services.follow_shop(
        session, user_id=ann.id, shop_id="shop-2", shop_name="Ink", shop_slug="ink"
    )

    with pytest.raises(AccountRuleBroken):
        people_services.follow_shop(
            session, user_id=ann.id, shop_id="shop-3", shop_name="Too many", shop_slug=None
        )
    shops = people_services.favourite_shops(session, ann.id)
    assert [(shop.shop_id, shop.shop_name, shop.shop_slug) for shop in shops] == [
        ("shop-2", "Ink", "ink"),
        ("shop-1", "Mara's Books", "maras"),
    ]
    assert people_services.favourite_shop_ids(session, ben.id) == set()

    people_services.unfollow_shop(session, user_id=ann.id, shop_id="shop-1")
    people_services.unfollow_shop(session, user_id=ben.id, shop_id="shop-2")  # not Ben's

    assert people_services.favourite_shop_ids(session, ann.id) == {"shop-2"}
