"""``safelect sharing audience --product ID [--json]`` and
``safelect sharing publish --bundle FILE.json --tlp LABEL [--affected-state XX …] [--kind K] [--json]``.

``audience`` resolves who a product would reach (or reached) under S.2261 §4(c)(1)–(4), by reason.
``publish`` imports a STIX 2.1 bundle as information received and shares it as a product: the
bundle is checked with the OASIS ``stix2-validator`` first and refused with its messages (exit
status 2, nothing written). Without ``--affected-state`` the product goes to the appropriate federal
entities, all State election agencies and the subscribers (§4(c)(1)–(3)); with it, also to every
election agency of those States (§4(c)(4)). Personal information found in the bundle's names and
descriptions keeps the product a draft until someone reviews it on its page (§4(g)).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safelect.core import stix as kit
from safelect.core.accounts.actor import Actor
from safelect.core.directory.models import State

from ... import audience, services
from ...models import Product

MAX_FILE_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Information sharing (S.2261 §4(c)): who a product reaches; import and share a STIX 2.1 bundle."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{audience,publish}")
        who = sub.add_parser("audience", help="the organizations a product reaches, by reason (§4(c)(1)–(4))")
        who.add_argument("--product", required=True, help="the product's id or reference (SHR-…)")
        who.add_argument("--json", action="store_true")
        pub = sub.add_parser("publish", help="import a STIX 2.1 bundle and share it as a product")
        pub.add_argument("--bundle", required=True, type=Path, metavar="FILE.json")
        pub.add_argument("--tlp", required=True, help="clear | green | amber | amber+strict | red")
        pub.add_argument(
            "--affected-state", action="append", default=[], metavar="XX", help="a State that may be affected (USPS code); repeat"
        )
        pub.add_argument("--kind", default="bulletin", choices=[k for k in Product.Kind.values if k != "threat_notice"])
        pub.add_argument("--title", default="", help="default: the bundle's report name, or the file name")
        pub.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        if action == "audience":
            return self._audience(options["product"], options["json"])
        return self._publish(options)

    def _audience(self, key: str, as_json: bool) -> None:
        product = Product.objects.filter(reference=key).first() or (Product.objects.filter(pk=int(key)).first() if key.isdigit() else None)
        if product is None:
            raise CommandError(f"no product {key!r}")
        if product.published_at is not None:
            resolved = dict(product.recipients.values_list("organization_id", "why"))
        else:
            resolved = audience.resolve(product)
        counts = audience.counts(resolved)
        if as_json:
            from safelect.core.directory.models import Organization

            names = dict(Organization.objects.filter(pk__in=list(resolved)).values_list("pk", "key"))
            self.stdout.write(
                json.dumps(
                    {
                        "product": product.reference,
                        "published": product.published_at is not None,
                        "total": len(resolved),
                        "counts": dict(Counter(resolved.values())),
                        "organizations": sorted(names[pk] for pk in resolved),
                    },
                    indent=2,
                )
            )
            return
        self.stdout.write(
            f"{product.reference} ({product.tlp_label}) {'reached' if product.published_at else 'would reach'} {len(resolved)} organizations:"
        )
        for why, n in counts.items():
            self.stdout.write(f"  {n:6d}  {why}")

    def _publish(self, options) -> None:
        path: Path = options["bundle"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        try:
            bundle = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: not JSON ({exc})") from None
        problems = kit.validation_errors(bundle)
        if problems:
            raise CommandError(f"{path}: the STIX 2.1 bundle is not valid; nothing was written:\n  " + "\n  ".join(problems))
        tlp = options["tlp"].lower().removeprefix("tlp:")
        states = []
        for code in options["affected_state"]:
            state = State.objects.filter(usps=code.upper()).first()
            if state is None:
                raise CommandError(f"unknown State {code!r}")
            states.append(state)
        objects = [o for o in bundle.get("objects", []) if o.get("type") not in ("marking-definition",)]
        report = next((o for o in objects if o.get("type") == "report"), None)
        title = options["title"] or (report or {}).get("name") or path.stem
        text = (report or {}).get(
            "description"
        ) or f"STIX 2.1 bundle {bundle.get('id')} with {len(objects)} objects, imported from {path.name}."
        system = Actor.system(services.national_office())
        try:
            with transaction.atomic():
                item = services.receive_item(
                    system, {"title": title[:200], "topic": "threat", "tlp": tlp, "summary": text, "stix": bundle, "source": "open_source"}
                )
                services.decide(system, item, outcome="share", particular_information="The whole bundle")
                product = services.create_product(
                    system,
                    {
                        "title": title[:200],
                        "topic": "threat",
                        "tlp": tlp,
                        "kind": options["kind"],
                        "text": text,
                        "stix_objects": objects,
                        "to_federal": not states and tlp != "red",
                        "to_all_states": not states and tlp != "red",
                        "to_subscribers": tlp != "red",
                        "affected_states": states,
                    },
                    item=item,
                )
        except ValidationError as error:
            raise CommandError(
                "refused; nothing was written: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
        try:
            share = services.publish(system, product)
        except ValidationError as error:
            raise CommandError(
                f"{product.reference} is saved as a draft and was not sent: "
                + "; ".join(" ".join(v) for v in error.message_dict.values())
                + f" Review it at /sharing/products/{product.pk}/."
            ) from None
        result = {
            "item": item.reference,
            "product": product.reference,
            "tlp": product.tlp_label,
            "recipients": share.recipients.count(),
            "counts": share.counts,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(
                f"{product.reference} ({product.tlp_label}) shared with {result['recipients']} organizations: "
                + ", ".join(f"{n} {w}" for w, n in share.counts.items())
            )
