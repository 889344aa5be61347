from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def dashboard(request):
    return render(request, "tracker/dashboard.html", {})


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
]
