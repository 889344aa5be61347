from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.db import transaction
from django.template.loader import render_to_string

from routines.models import Program
from routines.safety.conditions import condition_choices

from ..tasks import send_email
from .limits import address_limited
from .models import User
from .timezones import timezone_choices, timezone_names

TIMEZONE_HELP = "“Today”, streaks and reminders follow this zone."


def timezone_field(*, guess: bool, current: str | None = None):
    """The time zone select; ``current``, the user's zone, stays selectable when it is a legacy alias."""
    # app.js replaces UTC with the browser's own zone where the select asks for it.
    attrs = {"data-guess-timezone": ""} if guess else {}
    choices = timezone_choices
    if current and current not in timezone_names():
        # Otherwise no option is selected, the browser shows the first, and saving changes the zone.
        choices = [*timezone_choices(), (current, current)]
    return forms.ChoiceField(
        label="Time zone",
        choices=choices,
        initial="UTC",
        help_text=TIMEZONE_HELP + (" Your browser suggests one where it can; check it." if guess else ""),
        widget=forms.Select(attrs=attrs),
        error_messages={
            "invalid_choice": "“%(value)s” is not a known time zone (use an IANA name such as Europe/Paris)."
        },
    )


class SignupForm(UserCreationForm):
    email = forms.EmailField(label="Email", help_text="For password resets and, if you want them, reminders.")
    timezone = timezone_field(guess=True)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email", "timezone"]


class ProfileForm(forms.ModelForm):
    """What the profile page changes; saved by tracker.profile.profile_update, never by save()."""

    email = forms.EmailField(label="Email")
    timezone = timezone_field(guess=False)
    program = forms.ModelChoiceField(
        label="Program you follow",
        queryset=Program.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="No program",
        help_text="Choosing a different program starts it today.",
        error_messages={"invalid_choice": "Choose a program from the list."},
    )

    class Meta:
        model = User
        fields = ["email", "timezone", "program"]

    def __init__(self, *args, instance, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.initial["program"] = instance.program.slug if instance.program_id else None
        self.fields["timezone"] = timezone_field(guess=False, current=instance.timezone)
        self.current_timezone = instance.timezone

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        # The zone the person already has (a legacy alias the select keeps) is not judged again.
        if self.cleaned_data.get("timezone") == self.current_timezone:
            exclude.add("timezone")
        return exclude


class HealthScreenForm(forms.Form):
    """The health screen: which of the conditions apply, or "none of these"; and the advanced techniques."""

    conditions = forms.MultipleChoiceField(
        label="Do any of these apply to you?",
        choices=condition_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Exercises that are not safe with what you tick are left out of your routines, with the reason.",
    )
    none = forms.BooleanField(label="None of these apply to me", required=False)
    advanced_ack = forms.BooleanField(
        label="A clinician has shown me the psoas and iliacus fingertip releases, and I may do them",
        required=False,
        help_text="Leave it unticked unless a doctor or physiotherapist taught you these techniques in person.",
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            if data["conditions"] and data["none"]:
                raise forms.ValidationError("Tick the conditions that apply, or “None of these”, not both.")
            if not data["conditions"] and not data["none"]:
                raise forms.ValidationError("Tick the conditions that apply, or “None of these apply to me”.")
        return data


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset email, handed to a Celery task: a slow or failing SMTP server never holds the request.

    Sent to verified and unverified addresses alike (a person may forget the password before
    confirming), within the per-address rate.
    """

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        # Counted per email: however many accounts share the address, it gets no more than the rate.
        if address_limited(group="password-reset", address=to_email):
            return
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else None
        transaction.on_commit(
            lambda: send_email.delay(subject=subject, body=body, to=[to_email], from_email=from_email, html=html)
        )
