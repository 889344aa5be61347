"""Web forms for the logs: field messages early; the rules themselves live in tracker.logs."""

import copy
import uuid

from django import forms
from django.core.validators import MaxValueValidator

from routines.models import Routine, Sides

from .logs import PAIN_ENTRY_FIELDS, SESSION_FIELDS, validate_log_date
from .models import (
    DURATION_MAX,
    DURATION_MIN,
    MIN_DATE,
    NOTES_MAX_LENGTH,
    PAIN_MAX,
    PAIN_MIN,
    PainArea,
    PainContext,
    PainEntry,
    PainFactor,
    PainSide,
    Session,
)

PAIN_SCALE = [(score, str(score)) for score in range(PAIN_MIN, PAIN_MAX + 1)]
PAIN_HELP = "0 means no pain, 10 the worst pain you can imagine."


def pain_scale_field(*, label, required):
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_SCALE,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=PAIN_HELP,
        error_messages={"invalid_choice": "Choose a score from 0 to 10."},
    )


def routine_field():
    return forms.ModelChoiceField(
        label="Routine",
        queryset=Routine.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Free exercises (no routine)",
        error_messages={"invalid_choice": "Choose a routine from the catalog."},
    )


def notes_field():
    return forms.CharField(
        label="Notes",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX_LENGTH}),
        help_text=f"Optional, up to {NOTES_MAX_LENGTH:,} characters.",
    )


def add_client_id(form) -> None:
    """A hidden UUID chosen when the form is shown: submitted twice (a double tap, a resend), it logs once."""
    form.fields["client_id"] = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)


class LogForm(forms.ModelForm):
    """A form for one of the user's own records; it never changes the instance it was given."""

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        self.date_before = instance.date if instance is not None else None
        # ModelForm validation writes the submitted values onto its instance; the view
        # hands the untouched original to the tracker.logs function instead.
        super().__init__(*args, instance=copy.copy(instance) if instance is not None else None, **kwargs)
        today = user.local_today()
        self.fields["date"].widget = forms.DateInput(
            attrs={"type": "date", "min": MIN_DATE.isoformat(), "max": today.isoformat()}, format="%Y-%m-%d"
        )
        if instance is None:
            self.fields["date"].initial = today
            add_client_id(self)
        self.fields["date"].help_text = f"Your local date ({user.timezone})."

    def clean_date(self):
        date = self.cleaned_data["date"]
        validate_log_date(date, user=self.user, current=self.date_before)
        return date


class SessionForm(LogForm):
    routine = routine_field()
    notes = notes_field()
    side = forms.ChoiceField(
        label="Side",
        required=False,
        choices=[("", "Not recorded"), *Sides.choices],
        help_text="For a one-sided session.",
    )

    class Meta:
        model = Session
        fields = list(SESSION_FIELDS)
        labels = {
            "duration_minutes": "Duration (minutes)",
            "steps_completed": "Steps completed",
            "pain_before": "Pain before (0–10)",
            "pain_after": "Pain after (0–10)",
        }
        help_texts = {
            "duration_minutes": f"From {DURATION_MIN} to {DURATION_MAX} minutes.",
            "steps_completed": "Optional.",
            "pain_before": "Optional. " + PAIN_HELP,
            "pain_after": "Optional.",
        }
        widgets = {
            "duration_minutes": forms.NumberInput(attrs={"min": DURATION_MIN, "max": DURATION_MAX}),
            "steps_completed": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "pain_before": forms.NumberInput(attrs={"min": PAIN_MIN, "max": PAIN_MAX}),
            "pain_after": forms.NumberInput(attrs={"min": PAIN_MIN, "max": PAIN_MAX}),
        }

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None and instance.routine_id:
            self.initial["routine"] = instance.routine.slug


class PainEntryForm(LogForm):
    score = pain_scale_field(label="How much does your back hurt?", required=True)
    context = forms.ChoiceField(label="When", choices=PainContext.choices, initial=PainContext.REST)
    areas = forms.MultipleChoiceField(
        label="Where does it hurt?",
        choices=PainArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional. Tick every area that hurts, or tap them on the body map.",
        error_messages={"invalid_choice": "Choose areas from the list."},
    )
    side = forms.ChoiceField(
        label="Which side?",
        choices=[("", "Not said"), *PainSide.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="Your own left or right.",
        error_messages={"invalid_choice": "Choose left, right, both sides or the middle."},
    )
    notes = notes_field()
    factors = forms.MultipleChoiceField(
        label="What did the day hold?",
        choices=PainFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional: ticked often enough, these show what helps and what hurts.",
    )

    class Meta:
        model = PainEntry
        fields = list(PAIN_ENTRY_FIELDS)


class PlayerForm(forms.Form):
    """The end of the guided player: the session's date and routine come from the server."""

    pain_before = pain_scale_field(label="Pain before you start", required=False)
    pain_after = pain_scale_field(label="Pain now", required=False)
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=DURATION_MIN,
        max_value=DURATION_MAX,
        widget=forms.NumberInput(attrs={"min": DURATION_MIN, "max": DURATION_MAX}),
    )
    steps_completed = forms.IntegerField(label="Steps completed", min_value=0)
    notes = notes_field()

    def __init__(self, *args, routine, step_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].initial = routine.estimated_minutes
        self.fields["steps_completed"].initial = step_count
        self.fields["steps_completed"].widget.attrs.update({"min": 0, "max": step_count})
        self.fields["steps_completed"].validators.append(MaxValueValidator(step_count))
        add_client_id(self)
