"""Template filters for 和暦: {{ day|wareki }} → 令和8年4月1日, {{ 2026|nendo }} → 令和8年度."""

import datetime as dt

from django import template

from dxtalent.core import wareki as w

register = template.Library()


@register.filter
def wareki(value):
    if isinstance(value, dt.datetime):
        value = value.date()
    return w.format_wareki(value) if isinstance(value, dt.date) else ""


@register.filter
def nendo(value):
    if isinstance(value, dt.date):
        value = w.fiscal_year(value)
    try:
        return w.format_fiscal_year(int(value))
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for sort links and pagination)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
