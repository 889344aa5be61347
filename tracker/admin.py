from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Q

from backcare.accounts.admin import UserAdmin

from .models import ContentItem, Delivery, DeliveryStatus, PainEntry, ReminderSchedule, SelfCheck, Session
from .reminders.schedule import schedule_update, timezone_change
from .reminders.slots import WEEKDAYS

# --- Users: a time zone changed here moves the next reminder, as on the profile --------


class TrackerUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "timezone" in form.changed_data:
            # Through the one path a time zone changes: 07:30 stays 07:30 in the new zone.
            timezone_change(user=obj, timezone=obj.timezone)


# Registered by backcare.accounts (which knows nothing of reminders); extended here.
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), TrackerUserAdmin)

# --- Logs: sessions, pain entries, self-checks ---------------------------------------


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("date", "user", "routine", "duration_minutes", "pain_before", "pain_after")
    list_filter = ("routine", "date")
    search_fields = ("user__username", "user__email", "notes")
    date_hierarchy = "date"
    list_select_related = ("user", "routine")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(PainEntry)
class PainEntryAdmin(admin.ModelAdmin):
    list_display = ("date", "user", "context", "score")
    list_filter = ("context", "score", "date")
    search_fields = ("user__username", "user__email", "notes")
    date_hierarchy = "date"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(SelfCheck)
class SelfCheckAdmin(admin.ModelAdmin):
    list_display = ("date", "user", "pelvis", "chain")
    list_filter = ("chain", "pelvis")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at",)


# --- Reminders: schedules, content items, deliveries ---------------------------------


class ReminderScheduleForm(forms.ModelForm):
    days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple, help_text="None: every day."
    )

    class Meta:
        model = ReminderSchedule
        fields = ["user", "enabled", "time", "days", "skip_if_done"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = self.instance.weekday_list


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    form = ReminderScheduleForm
    list_display = ("user", "enabled", "time", "weekday_names", "skip_if_done", "next_due_at")
    list_filter = ("enabled", "skip_if_done")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("next_due_at", "updated_at")

    @admin.display(description="days")
    def weekday_names(self, schedule):
        names = dict(WEEKDAYS)
        return ", ".join(names[day] for day in schedule.weekday_list) or "every day"

    def save_model(self, request, obj, form, change):
        # Through the one function that changes a schedule, so that next_due_at follows.
        saved = schedule_update(
            user=obj.user,
            enabled=obj.enabled,
            time=obj.time,
            timezone=obj.user.timezone,
            weekdays=form.cleaned_data["days"],
            skip_if_done=obj.skip_if_done,
        )
        obj.pk, obj.weekdays, obj.next_due_at = saved.pk, saved.weekdays, saved.next_due_at


@admin.register(ContentItem)
class ContentItemAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "order", "active", "times_sent")
    list_editable = ("order", "active")
    list_filter = ("kind", "active")
    search_fields = ("title", "body")
    readonly_fields = ("created_at",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        sent = Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT))
        return super().get_queryset(request).annotate(times_sent=sent)

    @admin.display(description="times sent", ordering="times_sent")
    def times_sent(self, item):
        return item.times_sent


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: every reminder slot and what became of it, so a failure is visible."""

    list_display = ("slot_at", "user", "channel", "status", "attempts", "short_error", "skip_reason", "sent_at")
    list_filter = ("status", "channel", ("slot_at", admin.DateFieldListFilter))
    search_fields = ("user__username", "user__email")
    date_hierarchy = "slot_at"
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "slot_at",
        "channel",
        "status",
        "attempts",
        "error",
        "skip_reason",
        "content_item",
        "claimed_at",
        "sent_at",
        "created_at",
        "updated_at",
    )

    @admin.display(description="error")
    def short_error(self, delivery):
        return delivery.error if len(delivery.error) <= 80 else f"{delivery.error[:79]}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The admin of "is it working" (outcomes, marked days, report links, doses, experiments).
from . import admin_i15  # noqa: E402, F401
