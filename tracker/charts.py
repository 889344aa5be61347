"""Progress charts as inline SVG, drawn by pygal from the figures of tracker.progress.

Our Content-Security-Policy allows no inline script and no inline style, so every
chart goes through ``_for_our_page``: pygal's embedded <script> and <style>, its
``style`` attributes and its tooltip layer (which only its script would show) are
removed, and ``tracker/static/tracker/progress.css`` styles the remaining classes
with the site's own colour variables — the charts follow the light or dark theme
like the rest of the page. Each chart carries a one-sentence summary, used as its
accessible name and shown under it.
"""

import datetime
import math
from collections import OrderedDict
from dataclasses import dataclass

import pygal
from django.utils.safestring import SafeString
from pygal.style import Style

from .models import PAIN_MAX

WIDTH, HEIGHT = 420, 260
# pygal lays the labels out for this size; progress.css draws them at the same size.
LABEL_FONT_SIZE = 15
LAYOUT_STYLE = Style(
    font_family="system-ui, sans-serif",
    label_font_size=LABEL_FONT_SIZE,
    major_label_font_size=LABEL_FONT_SIZE,
    background="transparent",
    plot_background="transparent",
)
MAX_WEEK_BARS = 26
CALENDAR_WEEKS = 26
LABELS_ON_AXIS = 4
LONG_RANGE_DAYS = 120


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    summary: str


def _tag(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _for_our_page(summary: str):
    """A pygal XML filter: strip what the CSP forbids, and name the chart for assistive technology."""

    def strip(root):
        for parent in list(root.iter()):
            for child in list(parent):
                inline = _tag(child) in ("script", "style") or not isinstance(child.tag, str)  # comments too
                if inline or "tooltip-overlay" in child.get("class", ""):
                    parent.remove(child)
            parent.attrib.pop("style", None)
        for child in root:
            if _tag(child) == "title":
                child.text = summary
        root.set("role", "img")
        root.set("aria-label", summary)
        return root

    return strip


def _render(chart, summary: str) -> Chart:
    chart.add_xml_filter(_for_our_page(summary))
    return Chart(svg=SafeString(chart.render(is_unicode=True)), summary=summary)


def _config(**options) -> dict:
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "disable_xml_declaration": True,
        "js": [],
        "classes": ["pygal-chart", "chart"],
        "style": LAYOUT_STYLE,
        "truncate_label": -1,
        "margin": 6,
        "margin_right": 18,  # room for the last value label, centred on the plot's edge
        "spacing": 8,
        # The page shows an HTML legend and a summary sentence instead.
        "show_legend": False,
        "print_values": False,
        **options,
    }


def _short(day: datetime.date) -> str:
    return f"{day:%b} {day.day}"


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _axis_labels(count: int) -> dict:
    """Show at most four or five of ``count`` evenly spaced x labels, so they never overlap on a phone."""
    every = max(1, math.ceil(count / LABELS_ON_AXIS))
    return {"x_labels_major_every": every, "show_minor_x_labels": every == 1}


def _date_axis(days: list[datetime.date]) -> tuple[list[str], dict]:
    """x labels for one point per day: a few dates, or a few month names on the first of the month
    over long ranges. Every label is distinct; only the major ones are drawn."""
    if (days[-1] - days[0]).days <= LONG_RANGE_DAYS:
        return [_short(day) for day in days], _axis_labels(len(days))
    months = (days[-1].year - days[0].year) * 12 + days[-1].month - days[0].month + 1
    step = math.ceil(months / LABELS_ON_AXIS)
    labels = [f"{day:%b %Y}" if day.day == 1 else day.isoformat() for day in days]
    major = [label for day, label in zip(days, labels, strict=True) if day.day == 1 and (day.month - 1) % step == 0]
    return labels, {"x_labels_major": major, "show_minor_x_labels": False}


def _whole_ticks(top: int, count: int = 4) -> list[int]:
    """About ``count`` round steps (1, 2 or 5 × 10ⁿ) from 0 to at least ``top``, so labels never crowd."""
    if top <= 0:
        return [0, 1]
    magnitude = 10 ** math.floor(math.log10(top / count))
    step = max(1, next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= top / count))
    return [step * n for n in range(math.ceil(top / step) + 1)]


def _fmt(value) -> str:
    return "none" if value is None else f"{value:g}"


# --- Pain per day with its 7-day average --------------------------------------------------


def rolling_average(values: list, days: int = 7) -> list:
    """The mean of the non-empty values among each one and the ``days - 1`` before it."""
    averages = []
    for index in range(len(values)):
        window = [value for value in values[max(0, index - days + 1) : index + 1] if value is not None]
        averages.append(round(sum(window) / len(window), 2) if window else None)
    return averages


def pain_chart(rows: list[dict], *, height: int = HEIGHT) -> Chart | None:
    """Line chart of the daily pain average and its trailing 7-day average; None without entries."""
    values = [row["pain_average"] for row in rows]
    scored = [value for value in values if value is not None]
    if not scored:
        return None
    weekly = rolling_average(values)
    labels, axis = _date_axis([row["date"] for row in rows])
    chart = pygal.Line(
        **_config(
            height=height,
            range=(0, PAIN_MAX),
            y_labels=list(range(0, PAIN_MAX + 1, 2)),
            show_dots=len(rows) <= 62,
            dots_size=2.5,
            **axis,
        )
    )
    chart.x_labels = labels
    chart.add("Pain that day", values)
    chart.add("7-day average", weekly, allow_interruptions=False)
    last = next((value for value in reversed(weekly) if value is not None), None)
    summary = (
        f"Pain from {_long(rows[0]['date'])} to {_long(rows[-1]['date'])}: {len(scored)} days with a check-in, "
        f"lowest {min(scored):g}, highest {max(scored):g}, latest 7-day average {_fmt(last)} out of 10."
    )
    return _render(chart, summary)


# --- Sessions per week (per month over long ranges) -----------------------------------


def activity_buckets(rows: list[dict]) -> tuple[str, list[dict]]:
    """("week" or "month", sessions and minutes per week starting Monday, or per month when weeks
    would make over 26 bars)."""
    weeks = (rows[-1]["date"] - rows[0]["date"]).days // 7 + 1 if rows else 0
    by_month = weeks > MAX_WEEK_BARS
    buckets: OrderedDict[datetime.date, dict] = OrderedDict()
    for row in rows:
        day = row["date"]
        key = day.replace(day=1) if by_month else day - datetime.timedelta(days=day.weekday())
        label = f"{key:%b %Y}" if by_month else _short(key)
        bucket = buckets.setdefault(key, {"start": key, "label": label, "sessions": 0, "minutes": 0})
        bucket["sessions"] += row["sessions"]
        bucket["minutes"] += row["minutes"]
    return ("month" if by_month else "week"), list(buckets.values())


def activity_chart(rows: list[dict]) -> Chart | None:
    unit, buckets = activity_buckets(rows)
    total = sum(bucket["sessions"] for bucket in buckets)
    if not total:
        return None
    most = max(bucket["sessions"] for bucket in buckets)
    chart = pygal.Bar(**_config(y_labels=_whole_ticks(most), **_axis_labels(len(buckets))))
    chart.x_labels = [bucket["label"] for bucket in buckets]
    chart.add("Sessions", [bucket["sessions"] for bucket in buckets])
    busiest = max(buckets, key=lambda bucket: bucket["sessions"])
    minutes = sum(bucket["minutes"] for bucket in buckets)
    summary = (
        f"Sessions per {unit}: {total} sessions, {minutes} minutes over {len(buckets)} {unit}s; "
        f"the most, {busiest['sessions']}, in the {unit} of {busiest['label']}."
    )
    return _render(chart, summary)


# --- Posterior and anterior chain balance ---------------------------------------------


def chain_chart(by_chain: list[dict]) -> Chart | None:
    if not any(row["sessions"] for row in by_chain):
        return None
    most = max(row["minutes"] for row in by_chain)
    chart = pygal.HorizontalBar(**_config(height=190, y_labels=_whole_ticks(most)))
    # pygal draws the first bar at the bottom: reversed, the chart reads top-down like the table.
    chart.x_labels = [row["name"] for row in reversed(by_chain)]
    chart.add("Minutes", [row["minutes"] for row in reversed(by_chain)])
    parts = ", ".join(f"{row['name'].lower()} {row['minutes']} min ({row['sessions']} sessions)" for row in by_chain)
    return _render(chart, f"Minutes of routine work per chain: {parts}.")


# --- Relief per routine -------------------------------------------------------------------


def relief_chart(by_routine: list[dict]) -> Chart | None:
    """Average pain before and after each routine, over the sessions that logged both."""
    rows = [row for row in by_routine if row["average_drop"] is not None]
    if not rows:
        return None
    chart = pygal.HorizontalBar(**_config(height=90 + 46 * len(rows), range=(0, PAIN_MAX), truncate_label=24))
    chart.x_labels = [row["name"] for row in reversed(rows)]
    chart.add("Pain before", [row["average_before"] for row in reversed(rows)])
    chart.add("Pain after", [row["average_after"] for row in reversed(rows)])
    best = max(rows, key=lambda row: row["average_drop"])
    summary = (
        f"Pain before and after, per routine: the largest average drop is {best['average_drop']:g} points "
        f"with {best['name']} ({best['average_before']:g} before, {best['average_after']:g} after)."
    )
    return _render(chart, summary)


# --- Calendar of active days ----------------------------------------------------------


def calendar(rows: list[dict], *, weeks: int = CALENDAR_WEEKS) -> dict:
    """The last ``weeks`` weeks of the range as columns of Monday-to-Sunday cells."""
    if not rows:
        return {"weeks": [], "summary": ""}
    end = rows[-1]["date"]
    first = max(rows[0]["date"], end - datetime.timedelta(days=7 * weeks - 1))
    first -= datetime.timedelta(days=first.weekday())
    sessions = {row["date"]: row["sessions"] for row in rows}
    columns, day = [], first
    while day <= end:
        column = []
        for _ in range(7):
            count = sessions.get(day)
            state = "outside" if count is None else ("active" if count else "rest")
            label = f"{day:%a} {day.isoformat()}: " + (
                "outside the range" if count is None else f"{count} session{'s' if count != 1 else ''}"
            )
            column.append({"date": day, "state": state, "label": label})
            day += datetime.timedelta(days=1)
        columns.append(column)
    shown = [cell for column in columns for cell in column if cell["state"] != "outside"]
    active = sum(1 for cell in shown if cell["state"] == "active")
    summary = f"{active} active days out of {len(shown)} from {_long(shown[0]['date'])} to {_long(end)}."
    return {"weeks": columns, "summary": summary}
