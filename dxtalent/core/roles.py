"""Roles are data (RoleGrant rows); this is the closed list of role codes the access module understands."""

from django.db import models


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", "事務局（デジタル戦略推進局）"
    HR = "hr", "職員部（人事）"
    LIAISON = "liaison", "局区担当"
    MANAGER = "manager", "管理職"
    LEADER = "leader", "DX推進リーダー"
    EMPLOYEE = "employee", "職員"
    SYSADMIN = "sysadmin", "システム管理者"
