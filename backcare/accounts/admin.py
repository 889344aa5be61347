from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Backcare", {"fields": ("timezone", "program", "program_started_on")}))
    list_display = ("username", "email", "timezone", "program", "is_staff", "date_joined")
    list_filter = (*BaseUserAdmin.list_filter, "program")
