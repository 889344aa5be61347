"""The profile's list of clinician-report share links: ``{% load report_tags %}{% report_links_card user %}``."""

from django import template
from django.utils import timezone

from ..models import ReportLink
from ..report.figures import DEFAULT_WEEKS
from ..report.links import DEFAULT_DAYS, share_url

register = template.Library()


@register.inclusion_tag("tracker/_report_links.html", takes_context=True)
def report_links_card(context, user):
    links = ReportLink.objects.for_user(user).live(timezone.now())
    return {
        "links": [{"link": link, "url": share_url(link)} for link in links],
        "default_weeks": DEFAULT_WEEKS,
        "default_days": DEFAULT_DAYS,
        "csrf_token": context.get("csrf_token"),
    }
