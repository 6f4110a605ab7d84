"""The org tree's table rows, built in Python: a city has ~1,500 units and a template loop over them
costs several hundred milliseconds, ten times what format_html does."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_TOGGLE = '<button type="button" class="tree-toggle" aria-expanded="true" aria-label="{}の配下"></button>'
_SPACER = mark_safe('<span class="tree-spacer" aria-hidden="true"></span>')
_ROW = (
    '<tr class="level-{}" data-unit="{}" data-parent="{}" data-filter-text="{} {}">'
    '<th scope="row">{}{}</th><td><span class="tag tag--kind">{}</span></td><td>{}</td>'
    '<td class="num">{}</td><td class="num">{}</td></tr>'
)


@register.simple_tag
def org_tree_rows(snapshot):
    return format_html_join(
        "\n",
        _ROW,
        (
            (
                n.level,
                n.unit_id,
                n.parent_id or "",
                n.name,
                n.code,
                format_html(_TOGGLE, n.name) if n.children else _SPACER,
                n.name,
                n.kind_label,
                n.code,
                n.headcount,
                n.own_headcount,
            )
            for n in snapshot.flat()
        ),
    )


def _option(unit_id: int, name: str, selected) -> str:
    return format_html('<option value="{}"{}>{}</option>', unit_id, mark_safe(" selected") if selected else "", name)


@register.simple_tag
def bu_options(tops, selected):
    """<optgroup> per 局区 with its 部, narrowed in the browser by the 局区 select (static/js/app.js)."""
    return mark_safe(
        "".join(
            format_html('<optgroup label="{}" data-narrow="id_top:{}">', top.name, top.unit_id)
            + "".join(_option(n.unit_id, n.name, n.unit_id == selected) for n in top.children if n.kind == "bu")
            + "</optgroup>"
            for top in tops
        )
    )


@register.simple_tag
def ka_options(tops, selected):
    """<optgroup> per 部 with its 課 (several hundred options: built here, not in a template loop)."""
    parts = []
    for top in tops:
        for bu in top.children:
            if bu.kind != "bu":
                continue
            parts.append(
                format_html(
                    '<optgroup label="{} {}" data-narrow="id_top:{} id_bu:{}">',
                    top.name,
                    bu.name,
                    top.unit_id,
                    bu.unit_id,
                )
            )
            parts.extend(_option(n.unit_id, n.name, n.unit_id == selected) for n in bu.children if n.kind == "ka")
            parts.append("</optgroup>")
    return mark_safe("".join(parts))
