"""Web pages of the tracker; each feature module lists its own routes."""

from .views import account, calendar, done, dose, experiment, logs, outcomes, progress, reminders, report

app_name = "tracker"
urlpatterns = [*logs.urlpatterns, *progress.urlpatterns, *reminders.urlpatterns, *account.urlpatterns]
urlpatterns += [*outcomes.urlpatterns, *report.urlpatterns, *dose.urlpatterns, *experiment.urlpatterns]
urlpatterns += done.urlpatterns
urlpatterns += [*calendar.urlpatterns]
