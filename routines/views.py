from django.shortcuts import get_object_or_404, render

from .forms import SelfCheckForm
from .models import Chain, Exercise, Kind, Muscle, Program, Routine
from .safety.conditions import condition_name, ordered
from .screening import visible_steps_for
from .selfcheck import assess


def catalog(request):
    routines = list(Routine.objects.with_steps())
    groups = [(label, [routine for routine in routines if routine.chain == value]) for value, label in Chain.choices]
    return render(
        request,
        "routines/catalog.html",
        {"groups": groups, "muscles": Muscle.objects.all(), "programs": Program.objects.all()},
    )


def muscle_detail(request, slug):
    muscle = get_object_or_404(Muscle, slug=slug)
    exercises = Exercise.objects.for_muscle(slug).prefetch_related("muscles")
    by_kind = [(label, [e for e in exercises if e.kind == value]) for value, label in Kind.choices]
    routines = Routine.objects.for_muscle(slug).with_steps()
    return render(request, "routines/muscle.html", {"muscle": muscle, "by_kind": by_kind, "routines": routines})


def routine_detail(request, slug):
    routine = get_object_or_404(Routine.objects.with_steps(), slug=slug)
    shown = visible_steps_for(routine, request.user)
    return render(request, "routines/routine.html", {"routine": routine, "shown": shown, "left_out": shown.left_out})


def exercise_detail(request, slug):
    exercise = get_object_or_404(Exercise.objects.prefetch_related("muscles"), slug=slug)
    avoid_with = [(condition_name(c), exercise.avoid_with[c]) for c in ordered(exercise.avoid_with)]
    return render(request, "routines/exercise.html", {"exercise": exercise, "avoid_with": avoid_with})


def program_detail(request, slug):
    program = get_object_or_404(Program.objects.prefetch_related("days__routine"), slug=slug)
    weeks = [(week, [day for day in program.days.all() if day.week == week]) for week in range(1, program.weeks + 1)]
    return render(request, "routines/program.html", {"program": program, "weeks": weeks})


def self_check(request):
    form = SelfCheckForm(request.POST if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = assess(pelvis=form.cleaned_data["pelvis"], causes=form.cleaned_data["causes"])
    context = {"form": form, "result": result}
    if result:
        context["recommended_routines"] = Routine.objects.with_steps().filter(slug__in=result.routines)
        context["recommended_muscles"] = Muscle.objects.filter(slug__in=result.muscles)
        context["recommended_program"] = Program.objects.filter(slug=result.program).first()
    return render(request, "routines/self_check.html", context, status=400 if form.errors else 200)
