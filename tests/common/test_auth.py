from datetime import timedelta

import pytest

from services.common.auth import InvalidToken, Principal, issue_token, verify_token

SECRET = "a-secret-long-enough-for-hmac-sha256-keys"


def test_verify_token_returns_the_principal_it_was_issued_for():
    principal = Principal("u1", "Rosa", frozenset({"shop-a"}))
    assert verify_token(issue_token(principal, secret=SECRET), secret=SECRET) == principal


def test_verify_token_refuses_another_secret():
    token = issue_token(Principal("u1", "Rosa"), secret=SECRET)
    with pytest.raises(InvalidToken):
        verify_token(token, secret=SECRET + "-other")


def test_verify_token_refuses_an_expired_token():
    token = issue_token(Principal("u1", "Rosa"), secret=SECRET, ttl=timedelta(seconds=-1))
    with pytest.raises(InvalidToken):
        verify_token(token, secret=SECRET)


def test_verify_token_refuses_garbage():
    with pytest.raises(InvalidToken):
        verify_token("not-a-token", secret=SECRET)
