"""The outcomes charts: walking and standing tolerance, and the PSFS score, each with the lines a
later figure must cross for the change from the first one to count as meaningful (PRODUCT.md §4.3).
Drawn like the progress charts (tracker.charts), styled by tracker/static/tracker/progress.css."""

import pygal

from ..charts import Chart, _config, _long, _render, _whole_ticks
from ..models import PAIN_MAX
from .rules import meaningful_band


def _threshold(values: list, level: float) -> list:
    return [round(level, 1)] * len(values)


def tolerance_chart(series: list[dict]) -> Chart | None:
    """Minutes of walking and of standing per outcome, with each one's meaningful gain from the first."""
    if len(series) < 1:
        return None
    walking = [row["walking_minutes"] for row in series]
    standing = [row["standing_minutes"] for row in series]
    walking_gain = meaningful_band("walking_minutes", walking[0])[1]
    standing_gain = meaningful_band("standing_minutes", standing[0])[1]
    top = max([*walking, *standing, walking_gain, standing_gain])
    chart = pygal.Line(
        **_config(y_labels=_whole_ticks(int(top) + 1), classes=["pygal-chart", "chart", "outcome-chart"], dots_size=3)
    )
    chart.x_labels = [f"{row['date']:%b} {row['date'].day}" for row in series]
    chart.add("Walking", walking)
    chart.add("Standing", standing)
    chart.add("Walking: meaningful gain", _threshold(walking, walking_gain), show_dots=False)
    chart.add("Standing: meaningful gain", _threshold(standing, standing_gain), show_dots=False)
    summary = (
        f"Walking and standing before the pain stops you, {len(series)} outcome{'s' if len(series) != 1 else ''} "
        f"from {_long(series[0]['date'])} to {_long(series[-1]['date'])}: walking {walking[0]} to {walking[-1]} "
        f"minutes (a meaningful gain reaches {walking_gain:g}), standing {standing[0]} to {standing[-1]} minutes "
        f"(a meaningful gain reaches {standing_gain:g})."
    )
    return _render(chart, summary)


def psfs_chart(series: list[dict]) -> Chart | None:
    """The PSFS score per outcome, with the band of ±2 points around the first."""
    if len(series) < 1:
        return None
    scores = [row["psfs"] for row in series]
    low, high = meaningful_band("psfs", scores[0])
    chart = pygal.Line(
        **_config(
            range=(0, PAIN_MAX),
            y_labels=list(range(0, PAIN_MAX + 1, 2)),
            classes=["pygal-chart", "chart", "outcome-chart", "psfs-chart"],
            dots_size=3,
        )
    )
    chart.x_labels = [f"{row['date']:%b} {row['date'].day}" for row in series]
    chart.add("Your activities (PSFS)", scores)
    chart.add("Meaningful gain", _threshold(scores, min(PAIN_MAX, high)), show_dots=False)
    chart.add("Meaningful loss", _threshold(scores, max(0, low)), show_dots=False)
    summary = (
        f"Your activities, scored 0 to 10 (PSFS): {scores[0]:g} on {_long(series[0]['date'])}, "
        f"{scores[-1]:g} on {_long(series[-1]['date'])}; a change of 2 points or more is meaningful."
    )
    return _render(chart, summary)
