from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User
from .verification import emails_mark_verified


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Backcare", {"fields": ("email_verified", "timezone", "program", "program_started_on")}),
    )
    # Email is required everywhere, here too.
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "usable_password", "password1", "password2")}),
    )
    list_display = ("username", "email", "email_verified", "timezone", "program", "is_staff", "date_joined")
    list_filter = (*BaseUserAdmin.list_filter, "email_verified", "program")
    actions = ["mark_email_verified"]

    @admin.action(description="Mark email addresses verified")
    def mark_email_verified(self, request, queryset):
        count = emails_mark_verified(users=queryset)
        self.message_user(request, f"{count} email address(es) marked verified.", messages.SUCCESS)
