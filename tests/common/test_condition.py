"""The one grading scale shared by the shops, the catalog and the gateway."""

from __future__ import annotations

import pytest

from gateway.forms.choices import CONDITIONS as FORM_CHOICES
from gateway.forms.choices import condition_key as form_choice
from services.catalog.domain import condition_key, condition_rank
from services.common.contracts import Condition
from services.shops.domain import canonical_condition


@pytest.mark.parametrize(
    ("spelling", "grade"),
    [
        ("Very Good", Condition.VERY_GOOD),
        ("very-good", Condition.VERY_GOOD),
        (" VERY_GOOD ", Condition.VERY_GOOD),
        ("as new", Condition.AS_NEW),
        ("New", Condition.NEW),
        ("mint", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_reads_every_spelling_of_a_grade(spelling, grade):
    assert Condition.parse(spelling) is grade


def test_the_scale_ranks_poor_lowest_and_new_highest():
    ranks = [grade.rank for grade in Condition.worst_first()]

    assert ranks == list(range(1, 8))
    assert Condition.VERY_GOOD.rank > Condition.GOOD.rank
    assert [grade.label for grade in Condition.best_first()] == [
        "New", "As New", "Fine", "Very Good", "Good", "Fair", "Poor"
    ]  # fmt: skip


def test_shops_catalog_and_gateway_agree_on_every_grade():
    for grade in Condition:
        label = canonical_condition(grade.value)
        assert label == grade.label
        assert condition_key(label) == grade.value
        assert condition_rank(label) == grade.rank
        assert form_choice(label) == grade.value
    assert [key for key, _ in FORM_CHOICES] == [grade.value for grade in Condition.best_first()]
