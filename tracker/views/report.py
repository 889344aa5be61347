"""The clinician report: a printable page and a PDF of the last N weeks, for the signed-in person
or for anyone holding a live share link; and the share links' creation and revocation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from .. import progress
from ..charts import pain_chart
from ..models import ReportLink
from ..outcomes.charts import psfs_chart, tolerance_chart
from ..report.figures import DEFAULT_WEEKS, DISCLAIMER, MAX_WEEKS, MIN_WEEKS, report_figures
from ..report.links import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS, link_for_token, report_link_create, report_link_revoke
from ..report.pdf import render_pdf


class WeeksForm(forms.Form):
    weeks = forms.IntegerField(label="Weeks", min_value=MIN_WEEKS, max_value=MAX_WEEKS, initial=DEFAULT_WEEKS)


class ShareForm(WeeksForm):
    expires_in_days = forms.IntegerField(
        label="Valid for (days)", min_value=MIN_DAYS, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )


def _weeks(request) -> int | None:
    form = WeeksForm({"weeks": request.GET.get("weeks") or DEFAULT_WEEKS})
    return form.cleaned_data["weeks"] if form.is_valid() else None


def _page(request, user, weeks, *, shared_token=None, status=200):
    figures = report_figures(user, weeks=weeks)
    series = figures["outcome_series"]
    rows = progress.daily(user, start=figures["start"], end=figures["end"])
    context = {
        **figures,
        "pain_chart": pain_chart(rows),
        "tolerance_chart": tolerance_chart(series),
        "psfs_chart": psfs_chart(series),
        "disclaimer": DISCLAIMER,
        "shared": shared_token is not None,
        "pdf_url": (
            reverse("tracker:report-shared-pdf", args=[shared_token])
            if shared_token
            else f"{reverse('tracker:report-pdf')}?weeks={weeks}"
        ),
        "weeks_form": WeeksForm(initial={"weeks": weeks}),
    }
    response = render(request, "tracker/report.html", context, status=status)
    if shared_token:
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


def _pdf(user, weeks, filename) -> HttpResponse:
    response = HttpResponse(render_pdf(report_figures(user, weeks=weeks)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report_page(request):
    weeks = _weeks(request)
    if weeks is None:
        return render(request, "400.html", status=400)
    return _page(request, request.user, weeks)


@login_required
def report_pdf(request):
    weeks = _weeks(request)
    if weeks is None:
        return render(request, "400.html", status=400)
    return _pdf(request.user, weeks, f"backcare-report-{request.user.local_today():%Y-%m-%d}.pdf")


def _live_link(token: str) -> ReportLink:
    link = link_for_token(token)
    if link is None:
        raise Http404("No such report.")
    return link


def shared_report(request, token):
    link = _live_link(token)
    return _page(request, link.user, link.weeks, shared_token=token)


def shared_report_pdf(request, token):
    link = _live_link(token)
    return _pdf(link.user, link.weeks, "backcare-report.pdf")


@login_required
@require_POST
def report_link_new(request):
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            report_link_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Share link created: copy it from the list below.")
    else:
        messages.error(request, "Choose 1 to 52 weeks and 1 to 30 days.")
    return redirect(f"{reverse('profile')}#report-links")


@login_required
@require_POST
def report_link_delete(request, pk):
    link = get_object_or_404(ReportLink.objects.for_user(request.user), pk=pk)
    report_link_revoke(link=link)
    messages.success(request, "Share link revoked: it no longer opens the report.")
    return redirect(f"{reverse('profile')}#report-links")


urlpatterns = [
    path("report/", report_page, name="report"),
    path("report/pdf/", report_pdf, name="report-pdf"),
    path("report/links/", report_link_new, name="report-link-new"),
    path("report/links/<int:pk>/revoke/", report_link_delete, name="report-link-revoke"),
    path("report/shared/<str:token>/", shared_report, name="report-shared"),
    path("report/shared/<str:token>/pdf/", shared_report_pdf, name="report-shared-pdf"),
]
