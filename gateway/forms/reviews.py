"""Forms of reviews: the buyer's review of a shop, and the shop's public answer.

Several of them share a page (one per part, one per review), so each is built with a
prefix naming what it is about, and its field ids carry that prefix.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

MAX_TEXT = 2000
STARS = [SelectChoice(str(n), f"{n} {'star' if n == 1 else 'stars'}") for n in range(5, 0, -1)]


class ReviewForm(FlaskForm):
    rating = RadioField("Your rating", [InputRequired("Choose from 1 to 5 stars.")], choices=STARS)
    text = TextAreaField(
        "Your review",
        [
            DataRequired("Write a few words about the shop."),
            Length(max=MAX_TEXT, message=f"Keep it to {MAX_TEXT} characters."),
        ],
    )


class AnswerForm(FlaskForm):
    text = TextAreaField(
        "Your public answer",
        [
            DataRequired("Write a few words to answer."),
            Length(max=MAX_TEXT, message=f"Keep it to {MAX_TEXT} characters."),
        ],
    )


def review_form(part_id: str) -> ReviewForm:
    return ReviewForm(prefix=f"review-{part_id}")


def answer_form(review_id: str) -> AnswerForm:
    return AnswerForm(prefix=f"answer-{review_id}")
