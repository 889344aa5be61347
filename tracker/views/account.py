"""Deleting one's own account, after typing the password to confirm."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path

from ..account import account_delete
from ..models import PainEntry, Session


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type it to confirm that you want everything deleted.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password


@login_required
def account_delete_page(request):
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        # Log out first: the logout bookkeeping must not write records for a user who is gone.
        logout(request)
        account_delete(user=user)
        messages.success(request, "Your account and everything you logged have been deleted.")
        return redirect("home")
    context = {
        "form": form,
        "sessions": Session.objects.for_user(user).count(),
        "pain_entries": PainEntry.objects.for_user(user).count(),
    }
    return render(request, "tracker/account_delete.html", context)


urlpatterns = [
    path("account/delete/", account_delete_page, name="account-delete"),
]
