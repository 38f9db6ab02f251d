"""Background commits of large weekly-summary imports (see ``services.imports.commit_or_queue``)."""

from procrastinate.contrib.django import app


@app.task(name="engagements.commit_import")
def commit_import_job(batch_id: int, membership_id: int | None) -> None:
    """Commit a queued import as the person who asked for it (their permission is checked again)."""
    from safelect.core.accounts.models import Membership

    from .access import Actor
    from .services.imports import fail_queued, run_queued_commit

    if membership_id is None:  # queued by an operator's command
        run_queued_commit(batch_id, Actor.system())
        return
    membership = Membership.objects.filter(pk=membership_id).select_related("user", "organization").first()
    if membership is None:
        fail_queued(batch_id, "the membership of the person who asked for this import was removed; nothing was written")
        return
    run_queued_commit(batch_id, Actor.member(membership))
