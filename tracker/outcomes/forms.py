"""Web forms of "is it working": the fortnightly outcomes (tolerance and PSFS) and a marked day.
Field messages early; the rules live in tracker.outcomes.records and tracker.daymarks."""

from django import forms

from ..forms import PAIN_SCALE
from ..logs import validate_log_date
from ..models import (
    MIN_DATE,
    PSFS_ACTIVITY_MAX_LENGTH,
    PSFS_MAX_ROWS,
    TOLERANCE_MAX_MINUTES,
    DayKind,
)
from .records import clean_psfs

PSFS_HELP = (
    "Name three to five everyday things your back makes hard for you now — carrying the shopping, "
    "standing at the sink, a walk to the shops — and rate how well you can do each one today: "
    "0 if you cannot do it at all, 10 if you do it as well as before your back began to hurt. "
    "Keep the same activities each time, so the scores can be compared."
)


def _date_field(user, *, label="Date"):
    today = user.local_today()
    return forms.DateField(
        label=label,
        initial=today,
        widget=forms.DateInput(attrs={"type": "date", "min": MIN_DATE.isoformat(), "max": today.isoformat()}),
        help_text=f"Your local date ({user.timezone}).",
    )


def _minutes_field(label, help_text):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=TOLERANCE_MAX_MINUTES,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 0, "max": TOLERANCE_MAX_MINUTES, "inputmode": "numeric"}),
    )


class OutcomeForm(forms.Form):
    walking_minutes = _minutes_field(
        "Walking (minutes)", "How long can you walk at your usual pace before the pain makes you stop?"
    )
    standing_minutes = _minutes_field(
        "Standing (minutes)", "How long can you stand in one place before the pain makes you stop?"
    )

    def __init__(self, *args, user, activities=(), current_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.current_date = user, current_date
        self.fields["date"] = _date_field(user)
        self.order_fields(["date"])
        for number in range(1, PSFS_MAX_ROWS + 1):
            known = activities[number - 1] if number <= len(activities) else None
            self.fields[f"activity_{number}"] = forms.CharField(
                label=f"Activity {number}",
                max_length=PSFS_ACTIVITY_MAX_LENGTH,
                required=False,  # 3 to 5 rows: counted in clean(), with one message
                initial=known["activity"] if known else "",
            )
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=f"How well, 0–10 (activity {number})",
                choices=[("", "–"), *PAIN_SCALE],
                coerce=int,
                empty_value=None,
                required=False,
                initial=known["score"] if known else "",
            )

    def rows(self):
        """(activity field, score field) pairs, for the template."""
        return [(self[f"activity_{n}"], self[f"score_{n}"]) for n in range(1, PSFS_MAX_ROWS + 1)]

    def clean_date(self):
        date = self.cleaned_data["date"]
        validate_log_date(date, user=self.user, current=self.current_date)
        return date

    def clean(self):
        data = super().clean()
        rows = []
        for number in range(1, PSFS_MAX_ROWS + 1):
            activity, score = data.get(f"activity_{number}"), data.get(f"score_{number}")
            if activity and score is None:
                self.add_error(f"score_{number}", "Rate this activity from 0 to 10.")
            elif score is not None and not activity:
                self.add_error(f"activity_{number}", "Name the activity you rated.")
            elif activity:
                rows.append({"activity": activity, "score": score})
        if not self.errors:
            try:
                data["psfs"] = clean_psfs(rows)
            except forms.ValidationError as exc:
                self.add_error(None, exc.message_dict["psfs"])
        return data

    def outcome_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("date", "walking_minutes", "standing_minutes", "psfs")}


class DayMarkForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of day",
        choices=DayKind.choices,
        widget=forms.RadioSelect,
        help_text="A marked day does not break your streak and is left out of adherence.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["date"] = _date_field(user)
        self.order_fields(["date", "kind"])

    def clean_date(self):
        date = self.cleaned_data["date"]
        validate_log_date(date, user=self.user)
        return date
