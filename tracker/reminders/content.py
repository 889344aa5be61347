"""What a reminder says: today's routine, the last week in two lines, and one item of the rotation.

Built for a whole batch of deliveries at once, in a few queries whatever its size (the
routines, the week in review and the rotation each ask once per batch), then rendered by
the email channel from the ``tracker/emails/reminder`` templates.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from routines.safety.flare import FLARE_PLAN

from .. import progress
from ..done_links import done_links
from ..dose import routine_plans
from ..models import Delivery
from ..safety import WARNING_SIGNS_ITEM_TITLE, todays_safe_routines
from . import email
from .rotation import next_items
from .schedule import unsubscribe_token
from .slots import local_day

TEMPLATE = "tracker/emails/reminder"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def pain_trend(pain: dict) -> str:
    """One line on the last week's pain, from progress's pain figures over the last two weeks."""
    average, change = pain["last_week_average"], pain["change"]
    if average is None:
        return "No pain check-ins this week: a ten-second check-in helps you see what works."
    line = f"Pain this week: {average:g}/10 on average"
    if change is None:
        return f"{line}."
    if change < 0:
        return f"{line}, down {-change:g} from the week before."
    if change > 0:
        return f"{line}, up {change:g} from the week before."
    return f"{line}, the same as the week before."


def reminder_contexts(deliveries: list[Delivery]) -> dict[int, dict]:
    """{delivery id: its template context} for deliveries whose ``user`` (and its program) is loaded.

    A delivery with no content item yet gets the next of its user's rotation (a retry keeps
    the first pick: the sender's claim stores it).
    """
    todays = {delivery.user_id: local_day(delivery.slot_at, delivery.user.timezone) for delivery in deliveries}
    # What each person may be shown today: with a pain warning, the gentlest routine and easing advice.
    plans = todays_safe_routines([(delivery.user, todays[delivery.user_id]) for delivery in deliveries])
    # Today's routine with each person's own doses (tracker.dose): its minutes, any new dose waiting.
    doses = routine_plans(
        (delivery.user, plan.routine, plan.shown.steps)
        for delivery in deliveries
        if (plan := plans[delivery.user_id]).routine is not None
    )
    weeks = progress.weeks_in_review(todays)
    picks = next_items([delivery.user_id for delivery in deliveries if delivery.content_item_id is None])
    links = {
        "catalog_url": absolute_url(reverse("routines:catalog")),
        "self_check_url": absolute_url(reverse("routines:self-check")),
        "settings_url": absolute_url(reverse("tracker:reminders")),
        "warning_signs_url": absolute_url(reverse("warning-signs")),
        "flare_url": absolute_url(reverse("flare-up")),
        "health_screen_url": absolute_url(reverse("health-screen")),
        "flare_plan": FLARE_PLAN,
    }
    log_url = absolute_url(reverse("tracker:session-new"))
    contexts = {}
    for delivery in deliveries:
        user = delivery.user
        if delivery.content_item_id is None:
            delivery.content_item = picks[user.pk]
        plan = plans[user.pk]
        routine, why = plan.routine, plan.why
        week = weeks[user.pk]
        minutes = _minutes(doses.get(user.pk), plan)
        contexts[delivery.pk] = {
            **links,
            "user": user,
            "today": todays[user.pk],
            "routine": routine,
            "plan": doses.get(user.pk),
            "why": why,
            "player_url": absolute_url(reverse("tracker:player", args=[routine.slug])) if routine else "",
            "log_url": log_url + (f"?{urlencode({'routine': routine.slug})}" if routine else ""),
            "unsubscribe_url": absolute_url(reverse("tracker:unsubscribe", args=[unsubscribe_token(user)])),
            "sessions": week["sessions"],
            "minutes": week["minutes"],
            "pain_line": pain_trend(week["pain"]),
            "item": delivery.content_item,
            "shown": plan.shown,
            "left_out": plan.shown.left_out if plan.shown else [],
            "warning": plan.warning,
            "planned": plan.planned,
            "item_shows_tiers": bool(delivery.content_item and delivery.content_item.title == WARNING_SIGNS_ITEM_TITLE),
            # "Done it? How is your back now?": one signed link per pain score, for the routine named above.
            "done_links": done_links(
                user_id=user.pk, date=todays[user.pk], routine=routine.slug, minutes=minutes, site_url=settings.SITE_URL
            )
            if routine is not None
            else [],
        }
    return contexts


def _minutes(dose_plan: dict | None, plan) -> int:
    """The minutes the email gives for today's routine: the easing routine's shown steps, else with the doses."""
    if plan.shown is not None and (plan.warning is not None or dose_plan is None):
        return plan.shown.estimated_minutes
    return dose_plan["estimated_minutes"] if dose_plan is not None else 0


def delivery_headers(delivery: Delivery, context: dict, *, label: str) -> dict:
    """The headers every email of a delivery carries (a reminder, a weekly report)."""
    host = urlsplit(settings.SITE_URL).hostname or "backcare.localhost"
    return {
        # RFC 8058: a mail provider may POST to this URL to unsubscribe in one click.
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # The same id on every attempt lets a receiving server drop a duplicate.
        "Message-ID": f"<{label}-{delivery.pk}.{delivery.slot_at:%Y%m%d%H%M}@{host}>",
        "Auto-Submitted": "auto-generated",
    }


def reminder_email(delivery: Delivery, context: dict):
    """The reminder for one delivery, from its context, with the headers every reminder carries."""
    headers = delivery_headers(delivery, context, label="reminder")
    return email.message(TEMPLATE, to=delivery.user.email, context=context, headers=headers)


def reminder_message(delivery: Delivery):
    """The reminder for one delivery on its own (the batch path does the same for many)."""
    return reminder_email(delivery, reminder_contexts([delivery])[delivery.pk])


def reminder_push(delivery: Delivery, context: dict) -> dict:
    """The push notification of one delivery, from the same context as its email: the email's subject as
    the title (the one place that line is written), a short body, and where a tap leads."""
    title = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
    routine, warning = context["routine"], context["warning"]
    if warning is not None:
        body = warning.message
    elif routine is not None:
        body = f"Tap to start {routine.name} in the player."
    elif context["why"] == "rest":
        body = "Nothing planned today: rest, or go for an easy walk."
    else:
        body = "Tap to choose a routine."
    return {
        "title": title,
        "body": body,
        "url": context["player_url"] or context["catalog_url"],
        # One notification per day on the device: a later one for the same day replaces it.
        "tag": f"backcare-reminder-{context['today']:%Y-%m-%d}",
    }
