"""Pages for logging: the dashboard, session and pain forms, history, the guided player."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_POST

from routines.forms import SelfCheckForm
from routines.models import (
    REST_BETWEEN_REPS_SECONDS,
    SECONDS_PER_REP,
    SETUP_SECONDS,
    SWITCH_SIDE_SECONDS,
    Program,
    Routine,
)
from routines.screening import visible_steps_for

from ..dose import plan_of, step_doses, with_personal_doses
from ..forms import PainEntryForm, PlayerForm, SessionForm
from ..logs import (
    pain_entry_delete,
    pain_entry_existing,
    pain_entry_log,
    pain_entry_update,
    program_follow,
    self_check_save,
    session_delete,
    session_log,
    session_update,
)
from ..models import PainEntry, Session
from ..progress import pain_warning
from ..safety import todays_safe_routine

HISTORY_PAGE_SIZE = 20
RECENT_SESSIONS = 5


def _warn_after_logging(request) -> None:
    """Right after a session is logged: if the person's pain now calls for the warning signs, say so at once."""
    warning = pain_warning(request.user)
    if warning is not None:
        messages.warning(request, f"{warning.message} Please read the warning signs and the flare-up plan below.")


def owned_or_404(request, model, pk):
    """One of the signed-in user's own records; anybody else's is a 404, as if it did not exist."""
    return get_object_or_404(model.objects.for_user(request.user), pk=pk)


@login_required
def dashboard(request):
    user = request.user
    today = user.local_today()
    plan = todays_safe_routine(user, today)
    context = {
        "today": today,
        "routine": plan.routine,
        "why": plan.why,
        "shown": plan.shown,
        "planned": plan.planned,
        "recent_sessions": Session.objects.for_user(user).select_related("routine")[:RECENT_SESSIONS],
        "pain_warning": plan.warning,
        "pain_form": PainEntryForm(user=user, auto_id="quick_%s"),
    }
    return render(request, "tracker/dashboard.html", context)


# --- Sessions ---------------------------------------------------------------------


@login_required
def session_new(request):
    initial = {}
    # Only a slug is looked up: PostgreSQL refuses even to compare text holding a NUL character.
    if (slug := request.GET.get("routine")) and slug_re.fullmatch(slug):
        routine = Routine.objects.filter(slug=slug).first()
        if routine is not None:
            initial = {"routine": routine.slug, "duration_minutes": routine.estimated_minutes}
    form = SessionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session_log(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Session logged. Well done.")
            _warn_after_logging(request)
            return redirect("tracker:dashboard")
    return render(request, "tracker/session_form.html", {"form": form, "editing": False})


@login_required
def session_edit(request, pk):
    session = owned_or_404(request, Session, pk)
    form = SessionForm(request.POST or None, user=request.user, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            session_update(session=session, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Session saved.")
            return redirect("tracker:history")
    return render(request, "tracker/session_form.html", {"form": form, "editing": True, "session": session})


def _confirm_then_delete(request, record, *, what: str, delete):
    """GET asks for confirmation on a page of its own; POST deletes through the domain function."""
    if request.method == "POST":
        delete()
        messages.success(request, f"{what.capitalize()} deleted.")
        return redirect("tracker:history")
    return render(request, "tracker/confirm_delete.html", {"what": what, "object": record})


@login_required
def session_remove(request, pk):
    session = owned_or_404(request, Session, pk)
    return _confirm_then_delete(request, session, what="session", delete=lambda: session_delete(session=session))


# --- Pain entries -----------------------------------------------------------------


def _pain_entry_refused(form, exc, *, user):
    form.add_error(None, exc)
    cleaned = form.cleaned_data
    if "context" in form.errors and cleaned.get("date"):
        return pain_entry_existing(user=user, date=cleaned["date"], context=form.data.get("context"))
    return None


@login_required
def pain_new(request):
    form = PainEntryForm(request.POST or None, user=request.user)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            entry = pain_entry_log(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            existing = _pain_entry_refused(form, exc, user=request.user)
        else:
            when = entry.get_context_display().lower()
            messages.success(request, f"Pain {entry.score}/10 {when} noted for {format_date(entry.date, 'j F')}.")
            return redirect("tracker:dashboard")
    return render(request, "tracker/pain_form.html", {"form": form, "editing": False, "existing": existing})


@login_required
def pain_edit(request, pk):
    entry = owned_or_404(request, PainEntry, pk)
    form = PainEntryForm(request.POST or None, user=request.user, instance=entry)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            pain_entry_update(entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            existing = _pain_entry_refused(form, exc, user=request.user)
        else:
            messages.success(request, "Pain entry saved.")
            return redirect("tracker:history")
    return render(request, "tracker/pain_form.html", {"form": form, "editing": True, "existing": existing})


@login_required
def pain_remove(request, pk):
    entry = owned_or_404(request, PainEntry, pk)
    return _confirm_then_delete(request, entry, what="pain entry", delete=lambda: pain_entry_delete(entry=entry))


# --- History ----------------------------------------------------------------------


@login_required
def history(request):
    user = request.user
    sessions = Paginator(Session.objects.for_user(user).select_related("routine"), HISTORY_PAGE_SIZE)
    pain = Paginator(PainEntry.objects.for_user(user), HISTORY_PAGE_SIZE)
    return render(
        request,
        "tracker/history.html",
        {
            "sessions": sessions.get_page(request.GET.get("sessions_page")),
            "pain_entries": pain.get_page(request.GET.get("pain_page")),
        },
    )


# --- Guided player ----------------------------------------------------------------


def player_data(routine, steps):
    """What player.js needs: the steps this person may be shown, in the routine's order."""
    return {
        "routine": {"slug": routine.slug, "name": routine.name},
        "timing": {
            "setup_seconds": SETUP_SECONDS,
            "rest_seconds": REST_BETWEEN_REPS_SECONDS,
            "switch_seconds": SWITCH_SIDE_SECONDS,
            "seconds_per_rep": SECONDS_PER_REP,
        },
        "steps": [
            {
                "name": step.exercise.name,
                "kind": step.exercise.get_kind_display(),
                "instructions": step.exercise.steps,
                "caution": step.exercise.caution,
                "note": step.note,
                "figure": step.exercise.figure,
                "motion_figure": step.exercise.motion_figure,
                "first_side": step.exercise.first_side,
                **step.dose,
            }
            for step in steps
        ],
    }


@login_required
def player(request, slug):
    if not request.user.screened:
        messages.info(request, "Before your first guided routine, please answer the health screen.")
        return redirect(f"{reverse('health-screen')}?{urlencode({'next': request.get_full_path()})}")
    routine = get_object_or_404(Routine.objects.with_steps(), slug=slug)
    shown = visible_steps_for(routine, request.user)
    steps = shown.steps
    doses = step_doses(request.user, routine, steps=steps)
    form = PlayerForm(request.POST or None, routine=routine, step_count=len(steps))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session_log(
                user=request.user,
                routine=routine,
                date=request.user.local_today(),
                duration_minutes=data["duration_minutes"],
                steps_completed=data["steps_completed"],
                pain_before=data["pain_before"],
                pain_after=data["pain_after"],
                notes=data["notes"],
                client_id=data["client_id"],
            )
        except ValidationError as exc:
            # The date and routine are the server's, not fields of this form: show every message on top.
            form.add_error(None, ValidationError(exc.messages))
        else:
            relief = ""
            if data["pain_before"] is not None and data["pain_after"] is not None:
                relief = f" Pain {data['pain_before']} → {data['pain_after']}."
            messages.success(request, f"{routine.name} logged: {data['duration_minutes']} min.{relief}")
            _warn_after_logging(request)
            return redirect("tracker:dashboard")
    return render(
        request,
        "tracker/player.html",
        {
            "routine": routine,
            "steps": steps,
            "form": form,
            "left_out": shown.left_out,
            "data": with_personal_doses(player_data(routine, steps), doses),
            "doses": doses,
            "estimated_minutes": plan_of(doses)["estimated_minutes"],
        },
    )


# --- Self-check and program -------------------------------------------------------


@login_required
@require_POST
def self_check_save_view(request):
    form = SelfCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That self-check could not be saved: answer the questions again.")
        return redirect("routines:self-check")
    check = self_check_save(user=request.user, pelvis=form.cleaned_data["pelvis"], causes=form.cleaned_data["causes"])
    messages.success(request, f"Self-check saved: {check.get_chain_display().lower()}.")
    return redirect("profile")


@login_required
@require_POST
def follow_program(request, slug):
    program = get_object_or_404(Program, slug=slug)
    program_follow(user=request.user, program=program)
    messages.success(request, f"You follow {program.name} from today. Today's routine is on your dashboard.")
    return redirect("tracker:dashboard")


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("history/", history, name="history"),
    path("sessions/new/", session_new, name="session-new"),
    path("sessions/<int:pk>/edit/", session_edit, name="session-edit"),
    path("sessions/<int:pk>/delete/", session_remove, name="session-delete"),
    path("pain/new/", pain_new, name="pain-new"),
    path("pain/<int:pk>/edit/", pain_edit, name="pain-edit"),
    path("pain/<int:pk>/delete/", pain_remove, name="pain-delete"),
    path("play/<slug:slug>/", player, name="player"),
    path("self-check/save/", self_check_save_view, name="self-check-save"),
    path("programs/<slug:slug>/follow/", follow_program, name="follow-program"),
]
