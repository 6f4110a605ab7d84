"""Imports and helpers shared by the modules of this package."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from dxtalent.org import access
from dxtalent.org.access import Action

from ..models import NominationStatus, NominationWindow

S = NominationStatus


def _crumbs(*items):
    return [("DX推進リーダー", reverse("leaders:home")), *items]


def _window(pk: int) -> NominationWindow:
    return get_object_or_404(NominationWindow.objects.select_related("pack"), pk=pk)


def _can(user) -> dict[str, bool]:
    return {a.value: access.may(user, a) for a in Action}
