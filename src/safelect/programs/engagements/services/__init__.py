"""Every write of the engagements program; other apps call only these and ``queries``."""

from .followups import close_follow_up, obligation_of, open_follow_up
from .imports import (
    ImportResult,
    commit_batch,
    commit_import,
    commit_or_queue,
    discard_preview,
    preview_file,
    queue_commit,
    run_queued_commit,
    upload_for_preview,
)
from .records import create_engagement, resolve_flag, update_engagement

__all__ = [
    "ImportResult",
    "close_follow_up",
    "commit_batch",
    "commit_import",
    "commit_or_queue",
    "discard_preview",
    "queue_commit",
    "run_queued_commit",
    "create_engagement",
    "obligation_of",
    "open_follow_up",
    "preview_file",
    "resolve_flag",
    "update_engagement",
    "upload_for_preview",
]
