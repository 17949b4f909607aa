"""What the pages of reviews share (the shop's public page, the seller's reviews page): the
client and the page number asked for."""

from __future__ import annotations

from flask import request

from gateway import identity
from gateway.clients.reviews import ReviewsClient

MAX_PAGE = 10_000


def reviews_client() -> ReviewsClient:
    return identity.client_of(ReviewsClient, "orders")


def page_arg(name: str) -> int:
    try:
        return min(MAX_PAGE, max(1, int(request.args.get(name) or 1)))
    except ValueError:
        return 1
