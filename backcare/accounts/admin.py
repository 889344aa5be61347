from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tracker.reminders import schedule_refresh

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Backcare", {"fields": ("timezone", "program", "program_started_on")}))
    list_display = ("username", "email", "timezone", "program", "is_staff", "date_joined")
    list_filter = (*BaseUserAdmin.list_filter, "program")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "timezone" in form.changed_data:
            # 07:30 stays 07:30 in the new zone, as when the user changes it on the profile.
            schedule_refresh(obj)
