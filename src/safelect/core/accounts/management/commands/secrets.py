"""``safelect secrets rotate``: re-encrypt every secret stored at rest under the current key."""

from django.core.management.base import BaseCommand

from safelect.core.accounts.encryption import rotate_all


class Command(BaseCommand):
    help = (
        "Secrets stored at rest (TOTP seeds, webhook signing secrets). `rotate` re-encrypts them under "
        "SAFELECT_SECRET_KEY after a key change, reading with SAFELECT_SECRET_KEY_FALLBACKS."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{rotate}")
        sub.add_parser("rotate", help="re-encrypt every stored secret under the current key (one transaction)")

    def handle(self, *args, action, **options):
        unreadable = 0
        for column, (rotated, lost) in rotate_all().items():
            self.stdout.write(f"{column}: {rotated} re-encrypted" + (f", {lost} unreadable with any key" if lost else ""))
            unreadable += lost
        if unreadable:
            self.stdout.write(
                f"{unreadable} value(s) could not be read: those people set up two-factor sign-in again, "
                "those webhooks are registered again. Keep the old key in SAFELECT_SECRET_KEY_FALLBACKS if it is lost."
            )
        else:
            self.stdout.write(
                "Every stored secret now uses the current key; the old key may be removed from SAFELECT_SECRET_KEY_FALLBACKS."
            )
