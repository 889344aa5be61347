"""REST endpoints of the tracker under /api/v1/; each feature module lists its own routes."""

from .api import calendar, insights, logs, outcomes, profile, progress, push, reminders, report_links

urlpatterns = [*logs.urlpatterns, *progress.urlpatterns, *reminders.urlpatterns, *profile.urlpatterns]
urlpatterns += [*outcomes.urlpatterns, *insights.urlpatterns, *report_links.urlpatterns]
urlpatterns += [*push.urlpatterns, *calendar.urlpatterns]
