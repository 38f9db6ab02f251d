"""The journal: an append-only, hash-chained record of every write made through a service.

The journal is written in several independent hash chains (``partition``; ``SAFELECT_JOURNAL_
PARTITIONS``, default 8) so that unrelated services need not wait for each other. Within a chain,
each :class:`Entry` has a gap-free ``sequence`` and stores SHA-256 of its own canonical content and
the hash of the entry before it in the same chain, so altering or removing any row breaks its chain
from that row on (``safelect journal verify``); signed checkpoints record every chain's head. The
``id`` orders entries across chains in the order they were appended. The database itself refuses UPDATE and DELETE on the table (a trigger installed by
migration 0002), so the application cannot rewrite history even by mistake.
"""

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class Entry(models.Model):
    """One change: when, who, acting for which organization, what action, which object, what changed."""

    partition = models.SmallIntegerField(default=0, help_text="Which of the journal's hash chains holds the entry.")
    sequence = models.BigIntegerField(help_text="Position in its chain: 1, 2, 3… with no gap.")
    recorded_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=200, help_text="Who acted, kept as text so the entry survives renames.")
    organization = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=100, db_index=True, help_text="app:resource:verb, e.g. engagements:engagement:create")
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.model of the object changed")
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    summary = models.JSONField(default=dict, help_text="What changed (field → [old, new]) or a short description.")
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [models.UniqueConstraint(fields=["partition", "sequence"], name="journal_entry_one_per_position")]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"#{self.position} {self.action} {self.object_label}"

    @property
    def position(self) -> str:
        """Where the entry sits: ``chain.sequence`` (``12`` alone in chain 0, as before chains existed)."""
        return f"{self.partition}.{self.sequence}" if self.partition else str(self.sequence)
