"""When a change counts as meaningful (PRODUCT.md §4.3), at the edges of each threshold."""

import pytest

from tracker.outcomes.rules import changes_of, meaningful_band, pain_meaningful, psfs_meaningful, tolerance_meaningful


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [
        (20, 26, True),  # +6 min, +30 %: both thresholds met exactly
        (20, 25, False),  # +5 min but 25 %
        (10, 14, False),  # +40 % but only 4 min
        (10, 15, True),  # +5 min, +50 %
        (0, 5, True),  # any 5-minute gain from nothing
        (30, 21, True),  # −9 min, −30 %: a meaningful loss
    ],
)
def test_tolerance_needs_30_percent_and_5_minutes(first, latest, expected):
    assert tolerance_meaningful(first, latest) is expected


@pytest.mark.parametrize(("first", "latest", "expected"), [(4, 6, True), (4, 5.8, False), (6.5, 4.5, True)])
def test_psfs_needs_2_points(first, latest, expected):
    assert psfs_meaningful(first, latest) is expected


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [(6, 4, True), (6, 4.5, False), (3, 2.1, True), (3, 2.2, False), (0, 1, False)],
    ids=["2-points", "1.5-points-25%", "30%", "27%", "from-zero"],
)
def test_pain_needs_2_points_or_30_percent(first, latest, expected):
    assert pain_meaningful(first, latest) is expected


def test_the_chart_band_is_the_larger_of_5_minutes_and_30_percent():
    assert meaningful_band("walking_minutes", 10) == (5, 15)
    assert meaningful_band("walking_minutes", 40) == (28, 52)
    assert meaningful_band("psfs", 4.5) == (2.5, 6.5)


def test_one_outcome_gives_null_changes():
    row = {"date": None, "walking_minutes": 5, "standing_minutes": 5, "psfs": 3.0}

    assert changes_of([row])["walking_minutes"] == {"first": None, "latest": None, "change": None, "meaningful": None}
