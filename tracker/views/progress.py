"""The progress page: every figure of tracker.progress for a chosen range, with its charts."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from .. import charts, progress
from ..models import PainArea, PainSide
from .outcomes import progress_context

QUICK_RANGES = [("7 days", 7), ("30 days", 30), ("90 days", 90), ("1 year", 365)]


class RangeForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                data["start"], data["end"] = progress.resolve_range(self.user, data.get("start"), data.get("end"))
            except progress.RangeError as error:
                self.add_error(error.field, error.message)
        return data


def _quick_ranges(today: datetime.date) -> list[dict]:
    return [
        {"label": label, "start": today - datetime.timedelta(days=days - 1), "end": today}
        for label, days in QUICK_RANGES
    ]


def _area_rows(by_area: list[dict]) -> list[dict]:
    areas, sides = dict(PainArea.choices), dict(PainSide.choices)
    return [
        {**row, "area_label": areas[row["area"]], "side_label": sides.get(row["side"], "Not said")} for row in by_area
    ]


@login_required
def progress_page(request):
    user = request.user
    asked = {name: value for name in ("start", "end") if (value := request.GET.get(name))}
    context = {"quick_ranges": _quick_ranges(user.local_today())}
    if asked:
        form = RangeForm(asked, user=user)
        if not form.is_valid():
            return render(request, "tracker/progress.html", {**context, "form": form})
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = progress.resolve_range(user)
        form = RangeForm(user=user, initial={"start": start, "end": end})

    figures = progress.summary(user, start=start, end=end)
    rows = progress.daily(user, start=start, end=end)
    context.update(
        form=form,
        figures=figures,
        every_day=progress.planned_weekdays(user) == progress.EVERY_DAY,
        pain_chart=charts.pain_chart(rows),
        activity_chart=charts.activity_chart(rows),
        chain_chart=charts.chain_chart(figures["by_chain"]),
        relief_chart=charts.relief_chart(figures["by_routine"]),
        calendar=charts.calendar(rows),
        area_rows=_area_rows(figures["pain"]["by_area"]),
        self_checks=progress.self_checks_with_pain(user, start=start, end=end),
        pain_warning=progress.pain_warning(user, end=end),
        **progress_context(user, figures=figures),
    )
    return render(request, "tracker/progress.html", context)


urlpatterns = [
    path("progress/", progress_page, name="progress"),
]
