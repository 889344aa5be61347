"""Dose suggestions on the routine page, for the steps the person may be shown:
``{% load dose_tags %}{% dose_suggestions routine shown.steps %}``."""

from django import template

from ..dose import step_doses

register = template.Library()


@register.inclusion_tag("tracker/_dose_card.html", takes_context=True)
def dose_suggestions(context, routine, steps):
    request = context["request"]
    rows = step_doses(request.user, routine, steps=steps) if request.user.is_authenticated else []
    return {
        "routine": routine,
        "doses": rows,
        "suggested": [row for row in rows if row["suggestion"]],
        "personal": [row for row in rows if row["personal"]],
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
