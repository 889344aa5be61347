"""Dose suggestions on the routine page: ``{% load dose_tags %}{% dose_suggestions routine %}``."""

from django import template

from ..dose import step_doses

register = template.Library()


@register.inclusion_tag("tracker/_dose_card.html", takes_context=True)
def dose_suggestions(context, routine):
    request = context["request"]
    rows = step_doses(request.user, routine) if request.user.is_authenticated else []
    return {
        "routine": routine,
        "doses": rows,
        "suggested": [row for row in rows if row["suggestion"]],
        "personal": [row for row in rows if row["personal"]],
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
