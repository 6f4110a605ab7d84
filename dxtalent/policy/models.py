"""Policy packs: a municipality's digital-talent policy as versioned data (targets, curricula, frameworks …)."""

from django.conf import settings
from django.db import models


class PolicyPack(models.Model):
    """One version of a city's policy pack, stored whole. Versions are never overwritten."""

    code = models.CharField("パックコード", max_length=50)
    version = models.CharField("版", max_length=20)
    name = models.CharField("方針名", max_length=200)
    municipality = models.CharField("自治体", max_length=50)
    effective_from = models.DateField("適用開始日")
    content = models.JSONField("内容")
    checksum = models.CharField("チェックサム", max_length=64)
    source = models.CharField("読込元", max_length=500, blank=True)
    loaded_at = models.DateTimeField("読込日時", auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name="読込者"
    )

    class Meta:
        verbose_name = "ポリシーパック"
        verbose_name_plural = "ポリシーパック"
        ordering = ["code", "-effective_from", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="policypack_unique_version")]

    def __str__(self):
        return f"{self.name} ver.{self.version}"
