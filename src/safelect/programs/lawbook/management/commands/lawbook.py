"""``safelect lawbook ask "QUESTION" [--json] [--zone ZONE]`` and ``safelect lawbook load``.

``lawbook build`` (parsing the bills into ``safelect/data/lawbook.json``) runs without the database:
see :mod:`safelect.programs.lawbook.build`.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from safelect.programs.lawbook import loading
from safelect.programs.lawbook.ask import ask


class Command(BaseCommand):
    help = "The bills as structured law: ask a question (answered from the text, with citations); reload the lawbook."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{ask,load}")
        question = sub.add_parser("ask", help="answer a question from the bills' text, with citations")
        question.add_argument("question", help="the question, in quotes")
        question.add_argument("--json", action="store_true", help="print {question, found, citations, answer} as JSON")
        question.add_argument("--zone", default="America/New_York", help="time zone for computed clocks (default America/New_York)")
        load = sub.add_parser("load", help="reload safelect/data/lawbook.json into the database (done after every migration)")
        load.add_argument("--force", action="store_true", help="reload even when the file did not change")

    def handle(self, *args, **options) -> None:
        if options["action"] == "load":
            count = loading.load(force=options["force"])
            self.stdout.write(f"loaded {count} provisions" if count else "the lawbook was already up to date")
            return
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(options["zone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"{options['zone']!r} is not a time zone (for example America/Chicago)") from None
        question = options["question"].strip()
        if not question:
            raise CommandError("ask a question")
        answer = ask(question, zone=options["zone"])
        if options["json"]:
            self.stdout.write(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
            return
        console = Console(file=self.stdout, highlight=False)
        for sentence in answer.sentences:
            console.print(sentence.text, style="bold" if sentence.kind == "clock" else None)
        if answer.citations:
            console.print("\nRanked provisions: " + "; ".join(r.provision.citation for r in answer.citations[:5]), style="dim")
