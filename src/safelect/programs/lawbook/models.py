"""The lawbook's provisions in the database, for reading and for full-text search (PostgreSQL's
English configuration, weighted: headings A, the text B, the section's title C). The rows are a copy
of ``safelect/data/lawbook.json`` (built by ``safelect lawbook build``), loaded after every
migration when the file changed (:func:`.loading.load`)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Provision(models.Model):
    citation = models.CharField(max_length=120, unique=True)
    bill = models.CharField(max_length=12)
    section = models.CharField(max_length=8)
    path = ArrayField(models.CharField(max_length=6), default=list, blank=True)
    level = models.CharField(max_length=15)
    position = models.PositiveIntegerField(help_text="Order in the bills")
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    section_title = models.CharField(max_length=300, blank=True)
    amends = models.CharField(max_length=40, blank=True)
    defines = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    search = SearchVectorField(null=True)

    class Meta:
        ordering = ["position"]
        indexes = [GinIndex(fields=["search"], name="lawbook_provision_search")]

    def __str__(self) -> str:
        return self.citation

    @property
    def marker(self) -> str:
        return f"({self.path[-1]})" if self.path else f"Sec. {self.section}."

    @property
    def slug(self) -> str:
        return "s2261" if self.bill == "S.2261" else "hr5011"

    @property
    def anchor(self) -> str:
        return "p-" + "-".join([self.section, *self.path])


class Edition(models.Model):
    """Which build of the lawbook is loaded (its SHA-256)."""

    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)
