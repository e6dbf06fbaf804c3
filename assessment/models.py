from __future__ import annotations

from django.db import models

from assessment.banks.cache import bank_from_content
from assessment.scoring.types import Bank


class QuestionBank(models.Model):
    """A published version of a question bank. Immutable: a change needs a new version."""

    slug = models.SlugField(max_length=80)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the content")
    content = models.JSONField(help_text="The bank as read from its YAML file")
    question_count = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="one_bank_per_slug_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    @property
    def key(self) -> str:
        return f"{self.slug}@{self.version}"

    @property
    def version_key(self) -> tuple[int, ...]:
        """For ordering versions as numbers: 1.10 comes after 1.9."""
        return tuple(int(part) for part in self.version.split("."))

    def bank(self) -> Bank:
        return bank_from_content(self.checksum, self.content)
