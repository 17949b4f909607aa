"""Reviews of shops by their buyers, the shops' answers, and a shop's reputation.

A buyer reviews the shop once per part of an order, once that part is on its way; the shop
answers each review publicly, once. The reputation counts every review for its average and
the last twelve months for its share of happy buyers (4 or 5 stars).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common.inputs import BadText, check_text
from services.orders.domain.errors import DomainError
from services.orders.domain.order import PartStatus

MIN_RATING, MAX_RATING = 1, 5
POSITIVE_RATING = 4
MAX_TEXT = 2000
RECENT = timedelta(days=365)
# A shipped part may be reviewed; so may one the buyer said arrived.
REVIEWABLE = frozenset({PartStatus.SHIPPED, PartStatus.DELIVERED})


class InvalidReview(DomainError):
    """Input the rules refuse; `fields` names each bad field with what to change."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(
            "invalid review: " + "; ".join(f"{name}: {reason}" for name, reason in fields.items())
        )
        self.fields = fields


class NotReviewableYet(DomainError):
    pass


class AlreadyReviewed(DomainError):
    pass


class AlreadyAnswered(DomainError):
    pass


class ReviewNotFound(DomainError):
    pass


def checked_text(text: object, *, field: str = "text") -> str:
    """The text trimmed, or InvalidReview naming `field` when it is empty or too long."""
    if not isinstance(text, str):
        raise InvalidReview({field: "write some text"})
    trimmed = text.strip()
    if not trimmed:
        raise InvalidReview({field: "write a few words: it cannot be empty"})
    if len(trimmed) > MAX_TEXT:
        raise InvalidReview({field: f"keep it to {MAX_TEXT} characters (it has {len(trimmed)})"})
    try:
        check_text(trimmed)
    except BadText as error:
        raise InvalidReview({field: f"the text {error}"}) from error
    return trimmed


def checked_review(*, rating: object, text: object) -> tuple[int, str]:
    """(rating, trimmed text), or InvalidReview naming every bad field at once."""
    problems: dict[str, str] = {}
    if (
        not isinstance(rating, int)
        or isinstance(rating, bool)
        or not MIN_RATING <= rating <= MAX_RATING
    ):
        problems["rating"] = f"choose a whole number of stars from {MIN_RATING} to {MAX_RATING}"
    try:
        trimmed = checked_text(text)
    except InvalidReview as error:
        problems.update(error.fields)
    if problems:
        raise InvalidReview(problems)
    return rating, trimmed  # type: ignore[return-value]


def ensure_reviewable(status: PartStatus, *, already_reviewed: bool) -> None:
    if already_reviewed:
        raise AlreadyReviewed("you have already reviewed this shop for this part of your order")
    if status not in REVIEWABLE:
        raise NotReviewableYet(
            f"this part is {status.value.replace('_', ' ')}: you can review the shop once it "
            "has shipped your parcel"
        )


def ensure_unanswered(answered: bool) -> None:
    if answered:
        raise AlreadyAnswered("this review already has the shop's answer: a review gets one")


@dataclass(frozen=True)
class Tally:
    """What a shop's reviews add up to, counted by the database."""

    count: int = 0
    rating_sum: int = 0
    recent_count: int = 0
    recent_positive: int = 0
    # Reviews posted and hidden so far: grows with every change, also one that lowers the
    # count. None where no change was counted yet (then the count stands for it).
    changes: int | None = None


@dataclass(frozen=True)
class Reputation:
    average: float
    count: int
    positive_share: float
    recent_count: int
    # Grows with every review posted or hidden, so a newer snapshot wins.
    revision: int

    @classmethod
    def of(cls, tally: Tally) -> Reputation:
        average = round(tally.rating_sum / tally.count, 2) if tally.count else 0.0
        share = round(tally.recent_positive / tally.recent_count, 4) if tally.recent_count else 0.0
        return cls(
            average=average,
            count=tally.count,
            positive_share=share,
            recent_count=tally.recent_count,
            revision=tally.count if tally.changes is None else max(tally.changes, tally.count),
        )


def recent_since(now: datetime) -> datetime:
    """The start of the window the positive share counts."""
    return now - RECENT
