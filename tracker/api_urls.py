"""REST endpoints of the tracker under /api/v1/; each feature module lists its own routes."""

from .api import insights, logs, outcomes, profile, progress, reminders, report_links

urlpatterns = [*logs.urlpatterns, *progress.urlpatterns, *reminders.urlpatterns, *profile.urlpatterns]
urlpatterns += [*outcomes.urlpatterns, *insights.urlpatterns, *report_links.urlpatterns]
