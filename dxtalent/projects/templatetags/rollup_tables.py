"""Rows of the roll-up dashboard's hours tables, built in Python.

The 部 table has a row per 部 of the city (~300): rendering four numbers per row through template variables and
number formatting took a third of the page's time. Same markup as the rest of the table; values are escaped.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _hours_cell(value) -> str:
    negative = " is-negative" if value < 0 else ""
    return format_html('<td class="num{}" data-sort-value="{}">{}</td>', negative, value, value)


@register.simple_tag
def saving_rows(rows, with_top=False):
    """<tr>s of label, verified hours and count, planned hours and count (and the 局区 first when `with_top`)."""
    return format_html_join(
        "\n",
        '<tr>{}<th scope="row">{}</th>{}<td class="num">{}</td>{}<td class="num">{}</td></tr>',
        (
            (
                format_html("<td>{}</td>", r["top_name"]) if with_top else mark_safe(""),
                r["label"],
                _hours_cell(r["verified_hours"]),
                r["verified_projects"],
                _hours_cell(r["planned_hours"]),
                r["planned_projects"],
            )
            for r in rows
        ),
    )
