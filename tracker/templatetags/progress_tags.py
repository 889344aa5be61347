"""Progress on any page: ``{% load progress_tags %}{% dashboard_progress user %}`` and the ``percent`` filter."""

from django import template

from .. import charts, progress

register = template.Library()


@register.inclusion_tag("tracker/_progress_card.html")
def dashboard_progress(user):
    """The streaks and the last 30 days of pain, with a link to the progress page."""
    rows = progress.daily(user)
    return {"figures": progress.summary(user), "pain_chart": charts.pain_chart(rows, height=220)}


@register.filter
def percent(value):
    """0.4286 → "43%"; None (nothing planned) → "–"."""
    if value is None:
        return "–"
    return f"{round(value * 100):d}%"
