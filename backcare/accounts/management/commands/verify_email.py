from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backcare.accounts.verification import emails_mark_verified


class Command(BaseCommand):
    help = "Mark the email addresses of these people verified (imported, or created by hand)."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")

    def handle(self, *args, usernames, **options):
        users = get_user_model().objects.filter(username__in=usernames)
        unknown = sorted(set(usernames) - set(users.values_list("username", flat=True)))
        if unknown:
            raise CommandError(f"No such user: {', '.join(unknown)}. Nothing was changed.")
        without = sorted(users.filter(email="").values_list("username", flat=True))
        if without:
            raise CommandError(f"No email address to verify: {', '.join(without)}. Nothing was changed.")
        count = emails_mark_verified(users=users)
        self.stdout.write(f"{count} email address(es) marked verified; {len(set(usernames)) - count} already were.")
