"""The calendar feed's card, on the profile and the reminders page: ``{% calendar_feed_card user %}``."""

from django import template

from ..calendar_feed import DAYS, calendar_feed_for, calendar_feed_url

register = template.Library()


@register.inclusion_tag("tracker/_calendar_feed.html", takes_context=True)
def calendar_feed_card(context, user, back="profile"):
    return {
        "url": calendar_feed_url(calendar_feed_for(user)),
        "days": DAYS,
        "back": back,
        "csrf_token": context.get("csrf_token"),
    }
