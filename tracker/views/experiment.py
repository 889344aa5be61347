"""The two-week self-experiment page: set it up, follow its A/B days, read the result, stop it early."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from routines.models import Routine

from ..experiment import arm_on, experiment_result, experiment_start, experiment_stop, running_experiment
from ..models import EXPERIMENT_DAYS, Experiment


class ExperimentForm(forms.Form):
    routine_a = forms.ModelChoiceField(label="Routine A", queryset=Routine.objects.all(), to_field_name="slug")
    routine_b = forms.ModelChoiceField(label="Routine B", queryset=Routine.objects.all(), to_field_name="slug")
    start_date = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))


def _days(experiment, today):
    return [
        {
            "date": day,
            "arm": arm_on(experiment, day) or "–",
            "routine": {"A": experiment.routine_a, "B": experiment.routine_b}.get(arm_on(experiment, day)),
            "today": day == today,
        }
        for day in (experiment.start_date + datetime.timedelta(days=n) for n in range(EXPERIMENT_DAYS))
    ]


@login_required
def experiment_page(request):
    user = request.user
    today = user.local_today()
    form = ExperimentForm(request.POST or None, initial={"start_date": today})
    if request.method == "POST" and form.is_valid():
        try:
            experiment_start(user=user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Your two-week self-experiment is set up: each day's routine is below.")
            return redirect("tracker:experiment")
    current = running_experiment(user, today) or (
        Experiment.objects.for_user(user).filter(start_date__gt=today).select_related("routine_a", "routine_b").first()
    )
    latest = current or Experiment.objects.for_user(user).select_related("routine_a", "routine_b").first()
    return render(
        request,
        "tracker/experiment.html",
        {
            "form": form,
            "experiment": latest,
            "running": current is not None,
            "days": _days(latest, today) if latest else [],
            "result": experiment_result(latest, today=today) if latest else None,
        },
    )


@login_required
@require_POST
def experiment_stop_view(request, pk):
    experiment = get_object_or_404(Experiment.objects.for_user(request.user), pk=pk)
    experiment_stop(experiment=experiment, today=request.user.local_today())
    messages.success(request, "Experiment stopped; its result counts the days before today.")
    return redirect("tracker:experiment")


urlpatterns = [
    path("experiment/", experiment_page, name="experiment"),
    path("experiment/<int:pk>/stop/", experiment_stop_view, name="experiment-stop"),
]
