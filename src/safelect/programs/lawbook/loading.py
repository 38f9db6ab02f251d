"""Loading ``safelect/data/lawbook.json`` into :class:`.models.Provision` (after every migration,
only when the file changed; one transaction, so readers see the old edition or the new one)."""

from __future__ import annotations

import hashlib

from django.contrib.postgres.search import SearchVector
from django.db import transaction

from .build import output_path
from .models import Edition, Provision


def load(force: bool = False) -> int:
    raw = output_path().read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    if not force and Edition.objects.filter(sha256=sha).exists():
        return 0
    import json

    data = json.loads(raw)
    with transaction.atomic():
        Provision.objects.all().delete()
        rows, by_key, position = [], {}, 0
        for bill in data["bills"]:
            for p in bill["provisions"]:
                position += 1
                rows.append(
                    Provision(
                        citation=p["citation"],
                        bill=p["bill"],
                        section=p["section"],
                        path=p["path"],
                        level=p["level"],
                        position=position,
                        heading=p["heading"][:300],
                        text=p["text"],
                        section_title=p["section_title"][:300],
                        amends=p["amends"],
                        defines=p["defines"],
                    )
                )
        Provision.objects.bulk_create(rows, batch_size=500)
        for row in Provision.objects.all():
            by_key[(row.bill, row.section, tuple(row.path))] = row
        for row in by_key.values():
            if row.path:
                row.parent = by_key.get((row.bill, row.section, tuple(row.path[:-1])))
        Provision.objects.bulk_update([r for r in by_key.values() if r.path], ["parent"], batch_size=500)
        Provision.objects.update(
            search=SearchVector("heading", weight="A", config="english")
            + SearchVector("text", weight="B", config="english")
            + SearchVector("section_title", weight="C", config="english")
        )
        Edition.objects.all().delete()
        Edition.objects.create(sha256=sha)
    return len(rows)
