"""The public safety pages: the warning signs in full, and the flare-up plan."""

from django.shortcuts import render

from . import flare


def warning_signs_page(request):
    return render(request, "routines/warning_signs.html", {"acceptable_pain": flare.ACCEPTABLE_PAIN})


def flare_up_page(request):
    return render(
        request, "routines/flare_up.html", {"acceptable_pain": flare.ACCEPTABLE_PAIN, "plan": flare.FLARE_PLAN}
    )
