"""Pages of "is it working": the outcomes form and list with their charts, and marked days
(with what a flare day suggests)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from routines.selfcheck import DISCLAIMER, WARNING_SIGNS

from .. import insights
from ..daymarks import day_mark_delete, day_mark_set, gentlest_routine, recent_flare
from ..models import DayMark, Outcome
from ..outcomes.charts import psfs_chart, tolerance_chart
from ..outcomes.forms import PSFS_HELP, DayMarkForm, OutcomeForm
from ..outcomes.records import latest_outcome, outcome_log, outcome_update
from ..outcomes.rules import changes_of, outcome_series, outcomes_due

RECENT_MARKS = 30


def _outcome_form_page(request, form, *, editing):
    return render(request, "tracker/outcome_form.html", {"form": form, "editing": editing, "psfs_help": PSFS_HELP})


def _refused(form, exc):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def outcomes_page(request):
    user = request.user
    outcomes = list(Outcome.objects.for_user(user).order_by("date"))
    series = outcome_series(user, start=outcomes[0].date, end=outcomes[-1].date) if outcomes else []
    return render(
        request,
        "tracker/outcomes.html",
        {
            "outcomes": list(reversed(outcomes)),
            "changes": changes_of(series),
            "tolerance_chart": tolerance_chart(series),
            "psfs_chart": psfs_chart(series),
            "due": outcomes_due(today=user.local_today(), latest_date=outcomes[-1].date if outcomes else None),
        },
    )


@login_required
def outcome_new(request):
    latest = latest_outcome(request.user)
    form = OutcomeForm(request.POST or None, user=request.user, activities=latest.psfs if latest else ())
    if request.method == "POST" and form.is_valid():
        try:
            outcome_log(user=request.user, **form.outcome_fields())
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Outcomes saved. We will ask again in two weeks.")
            return redirect("tracker:outcomes")
    return _outcome_form_page(request, form, editing=False)


@login_required
def outcome_edit(request, pk):
    outcome = get_object_or_404(Outcome.objects.for_user(request.user), pk=pk)
    initial = {
        "date": outcome.date,
        "walking_minutes": outcome.walking_minutes,
        "standing_minutes": outcome.standing_minutes,
    }
    form = OutcomeForm(
        request.POST or None, user=request.user, activities=outcome.psfs, current_date=outcome.date, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome_update(outcome=outcome, **form.outcome_fields())
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Outcomes saved.")
            return redirect("tracker:outcomes")
    return _outcome_form_page(request, form, editing=True)


@login_required
def day_marks(request):
    user = request.user
    form = DayMarkForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            mark = day_mark_set(user=user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{mark.get_kind_display()} marked for {mark.date:%-d %B}.")
            return redirect("tracker:day-marks")
    flare = recent_flare(user, today=user.local_today())
    return render(
        request,
        "tracker/day_marks.html",
        {
            "form": form,
            "marks": DayMark.objects.for_user(user)[:RECENT_MARKS],
            "flare": flare,
            "gentlest": gentlest_routine() if flare else None,
            "warning_signs": WARNING_SIGNS,
            "disclaimer": DISCLAIMER,
        },
    )


@login_required
@require_POST
def day_mark_remove(request, pk):
    mark = get_object_or_404(DayMark.objects.for_user(request.user), pk=pk)
    day_mark_delete(mark=mark)
    messages.success(request, f"The mark on {mark.date:%-d %B} is removed.")
    return redirect("tracker:day-marks")


urlpatterns = [
    path("outcomes/", outcomes_page, name="outcomes"),
    path("outcomes/new/", outcome_new, name="outcome-new"),
    path("outcomes/<int:pk>/edit/", outcome_edit, name="outcome-edit"),
    path("days/", day_marks, name="day-marks"),
    path("days/<int:pk>/remove/", day_mark_remove, name="day-mark-remove"),
]


def progress_context(user, *, figures: dict) -> dict:
    """What the progress page adds for "is it working": the outcomes charts and what helps, over the
    page's range (its ``outcomes`` changes are already in ``figures``)."""
    start, end = figures["start"], figures["end"]
    series = outcome_series(user, start=start, end=end)
    return {
        "tolerance_chart": tolerance_chart(series),
        "psfs_chart": psfs_chart(series),
        "insights": insights.insights(user, start=start, end=end),
    }
