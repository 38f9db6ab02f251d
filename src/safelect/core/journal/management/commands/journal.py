"""``safelect journal verify [--json]`` and ``safelect journal checkpoint``."""

import json
import sys

from django.core.management.base import BaseCommand

from safelect.core.journal import checkpoints
from safelect.core.journal.integrity import verify


class Command(BaseCommand):
    help = (
        "The journal of every change. `verify` walks the hash chain and compares it with the signed checkpoints "
        "kept outside the database (exit status 1 on any finding); `checkpoint` appends a signed checkpoint now."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,checkpoint}")
        check = sub.add_parser(
            "verify", help="recompute every entry's hash, check the chain and every checkpoint; exit 1 at the first finding"
        )
        check.add_argument("--json", action="store_true", help="print the verdict as JSON")
        sub.add_parser("checkpoint", help="append a signed checkpoint (entry count and every chain's head) to the checkpoint log")

    def handle(self, *args, action, **options):
        if action == "checkpoint":
            made = checkpoints.write()
            self.stdout.write(
                f"checkpoint: {made.entries} entries in {len(made.heads)} chain(s), heads "
                + ", ".join(f"#{p}.{seq} {head[:12]}…" for p, seq, head in made.heads)
                + f" appended to {checkpoints.log_path()}"
            )
            return
        verdict = verify()
        try:
            finding = checkpoints.check()
        except checkpoints.CheckpointKeyError as exc:
            finding = checkpoints.Finding(False, 0, str(exc))
        if options.get("json"):
            self.stdout.write(
                json.dumps(
                    {
                        **verdict.as_dict(),
                        "checkpoints": finding.checkpoints,
                        "checkpoints_ok": finding.ok,
                        "checkpoint_finding": finding.reason,
                    }
                )
            )
        else:
            self.stdout.write(str(verdict))
            if finding.ok:
                self.stdout.write(f"checkpoints: {finding.checkpoints} signed checkpoint(s) match the journal")
            else:
                self.stdout.write(f"checkpoints: {finding.reason}")
        if not verdict.intact or not finding.ok:
            sys.exit(1)
