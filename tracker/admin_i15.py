"""Admin pages of "is it working" (PRODUCT.md §4.3): kept apart from tracker/admin.py for a clean merge;
tracker/admin.py imports this module so Django registers them."""

from django.contrib import admin

from .models import DayMark, Experiment, Outcome, OutcomeReminder, PersonalDose, ReportLink


@admin.register(OutcomeReminder)
class OutcomeReminderAdmin(admin.ModelAdmin):
    """Read-only: every fortnightly outcomes reminder and what became of it, so a failure is visible."""

    list_display = ("due_on", "user", "status", "error", "sent_at")
    list_filter = ("status",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("user", "due_on", "status", "error", "sent_at", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ("date", "user", "walking_minutes", "standing_minutes", "psfs_score")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(DayMark)
class DayMarkAdmin(admin.ModelAdmin):
    list_display = ("date", "user", "kind")
    list_filter = ("kind",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(ReportLink)
class ReportLinkAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "weeks", "expires_at")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    exclude = ("key",)


@admin.register(PersonalDose)
class PersonalDoseAdmin(admin.ModelAdmin):
    list_display = ("user", "exercise", "hold_seconds", "repetitions", "decided_at")
    raw_id_fields = ("user",)
    list_select_related = ("user", "exercise")


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ("start_date", "user", "routine_a", "routine_b", "schedule", "stopped_on")
    raw_id_fields = ("user",)
    list_select_related = ("user", "routine_a", "routine_b")
