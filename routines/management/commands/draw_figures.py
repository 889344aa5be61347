"""Write the exercise, pelvis and muscle figures (routines/static/routines/figures/) from the pose data.

Run it after changing routines/poses.toml, routines/figures.py, routines/bodymap.py, the stylesheet
routines/static/routines/figures.css, or a name in routines/catalog.toml, and commit the files:
tests/routines/test_figures.py fails while a committed figure differs from what this draws.
"""

from django.core.management.base import BaseCommand

from routines.figures import write_figures


class Command(BaseCommand):
    help = "Draw the exercise, pelvis and muscle figures into routines/static/routines/figures/."

    def handle(self, *args, **options):
        changed = write_figures()
        for name in changed:
            self.stdout.write(f"wrote {name}")
        self.stdout.write(f"{len(changed)} figure(s) changed.")
