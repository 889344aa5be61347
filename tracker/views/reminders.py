"""Pages for reminders: the settings form, and the one-click unsubscribe link from every email."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from backcare.accounts.forms import timezone_field

from ..models import Channel
from ..reminders import push
from ..reminders.schedule import schedule_for, schedule_update, unsubscribe, user_for_unsubscribe_token
from ..reminders.slots import WEEKDAYS

RECENT_DELIVERIES = 5
WEEKDAYS_LONG = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class ReminderForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Send me reminders")
    channels = forms.MultipleChoiceField(
        label="Send them by",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose email, push notification or both."},
        help_text="Push notifications go to the browsers you subscribe below.",
    )
    time = forms.TimeField(
        label="Time of day",
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    timezone = timezone_field(guess=False)
    weekdays = forms.TypedMultipleChoiceField(
        label="Days",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for every day.",
    )
    skip_if_done = forms.BooleanField(
        required=False, label="Skip the reminder on a day I have already logged a session"
    )

    weekly_report = forms.BooleanField(
        required=False,
        label="Email me a weekly report",
        help_text="Your week beside the week before, at the time above, even with daily reminders off.",
    )
    weekly_report_day = forms.TypedChoiceField(
        label="Weekly report day", choices=WEEKDAYS_LONG, coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, current_timezone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = timezone_field(guess=False, current=current_timezone)


@login_required
def reminder_settings(request):
    user = request.user
    schedule = schedule_for(user)
    if request.method == "POST":
        form = ReminderForm(request.POST, current_timezone=user.timezone)
        if form.is_valid():
            try:
                schedule_update(user=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Reminder settings saved.")
                return redirect("tracker:reminders")
    else:
        form = ReminderForm(
            current_timezone=user.timezone,
            initial={
                "enabled": schedule.enabled,
                "time": schedule.time,
                "timezone": user.timezone,
                "weekdays": schedule.weekday_list,
                "skip_if_done": schedule.skip_if_done,
                "weekly_report": schedule.weekly_report,
                "weekly_report_day": schedule.weekly_report_day,
                "channels": schedule.channels,
            },
        )
    deliveries = user.reminder_deliveries.select_related("content_item")[:RECENT_DELIVERIES]
    context = {
        "form": form,
        "schedule": schedule,
        "deliveries": deliveries,
        "push_key": push.application_server_key(),
        "push_off_reason": push.OFF_REASON,
        "subscribed_browsers": user.push_subscriptions.count(),
    }
    return render(request, "tracker/reminders.html", context)


@never_cache
@csrf_exempt  # RFC 8058: the mail provider POSTs without a CSRF token; the signed token is the authority.
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request, token):
    subscriber = user_for_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "tracker/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        unsubscribe(user=subscriber)
        return render(request, "tracker/unsubscribe_done.html", {"subscriber": subscriber})
    # GET changes nothing: link scanners follow every URL in an email.
    return render(request, "tracker/unsubscribe.html", {"subscriber": subscriber})


urlpatterns = [
    path("reminders/", reminder_settings, name="reminders"),
    path("unsubscribe/<str:token>/", unsubscribe_link, name="unsubscribe"),
]
