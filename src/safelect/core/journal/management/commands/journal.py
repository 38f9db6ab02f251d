"""``safelect journal verify [--json]``: check that the journal's hash chain is intact."""

import json
import sys

from django.core.management.base import BaseCommand

from safelect.core.journal.integrity import verify


class Command(BaseCommand):
    help = "The journal of every change. `verify` walks the hash chain and names the first broken entry (exit status 1)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        check = sub.add_parser("verify", help="recompute every entry's hash and check the chain; exit 1 at the first broken entry")
        check.add_argument("--json", action="store_true", help="print the verdict as JSON")

    def handle(self, *args, action, **options):
        verdict = verify()
        if options.get("json"):
            self.stdout.write(json.dumps(verdict.as_dict()))
        else:
            self.stdout.write(str(verdict))
        if not verdict.intact:
            sys.exit(1)
