"""Writes of the directory: loading the reference data (an operator's command or a scheduled job).

Like every kernel service it takes the kernel's ``Actor`` (``safelect.core.accounts.actor.Actor``)
first and checks the permission itself. The directory sits below the accounts app in the layers,
so the type is named, not imported: any object with ``may(permission)``, ``user`` and
``organization`` is accepted. ``directory:reference:load`` is granted to no role, so only the system
(``Actor.system()``: the ``safelect directory load`` command, the demo, the worker) loads data.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safelect.core.journal.services import record

from . import loading

LOAD = "directory:reference:load"


class _System:
    """The system acting (an operator's command, a scheduled job): what ``Actor.system()`` is, for
    the directory's own command and job, which cannot import the accounts app above them."""

    user = None
    organization = None

    def may(self, permission: str) -> bool:
        return True


SYSTEM = _System()


def load_reference_data(actor: Actor, progress: loading.Progress | None = None, *, congress_folder=None) -> loading.LoadReport:  # noqa: F821
    """Load (or bring up to date) regions, States, counties, districts, organizations and
    jurisdictions from the shipped files, in one transaction; the journal records what changed."""
    if not actor.may(LOAD):
        raise PermissionDenied(f"you do not have the permission {LOAD}")
    with transaction.atomic():
        report = loading.load_reference_data(progress, congress_folder=congress_folder)
        if report.changed:
            record(
                actor=actor.user,
                organization=actor.organization,
                action="directory:reference:load",
                object_type="directory.reference",
                object_id="data",
                object_label="reference data",
                summary=report.as_dict(),
            )
    return report
