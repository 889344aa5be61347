"""REST endpoints of the tracker under /api/v1/; each feature module lists its own routes."""

from .api import insights, logs, outcomes, progress, reminders, report_links

urlpatterns = [*logs.urlpatterns, *progress.urlpatterns, *reminders.urlpatterns]
urlpatterns += [*outcomes.urlpatterns, *insights.urlpatterns, *report_links.urlpatterns]
