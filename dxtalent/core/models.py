from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A login. `username` is the 職員番号; the person behind it is `org.Employee.user`."""

    class Meta:
        verbose_name = "ログインユーザー"
        verbose_name_plural = "ログインユーザー"

    def __str__(self):
        return self.get_full_name() or self.username


User._meta.get_field("username").verbose_name = "職員番号"


class ExportLog(models.Model):
    """Every export of personal data: who, when, what filter, how many rows (個人情報の持ち出し記録)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="出力者")
    exported_at = models.DateTimeField("出力日時", auto_now_add=True, db_index=True)
    kind = models.CharField("出力内容", max_length=50)
    file_format = models.CharField("形式", max_length=10)
    filters = models.JSONField("条件", default=dict, blank=True)
    row_count = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = "個人情報出力記録"
        verbose_name_plural = "個人情報出力記録"
        ordering = ["-exported_at"]

    def __str__(self):
        return f"{self.exported_at:%Y-%m-%d %H:%M} {self.user} {self.kind} {self.row_count}件"
