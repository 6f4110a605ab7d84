"""Small template helpers of the training pages: {% load training %}."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ labels|get:code }} → the label, or the key itself when there is none."""
    if not mapping:
        return key
    return mapping.get(key, key)


@register.filter
def hours(value):
    """Decimal hours without trailing zeros: 4.00 → 4, 1.50 → 1.5, None → —."""
    if value in (None, ""):
        return "—"
    number = Decimal(value)
    text = f"{number.quantize(Decimal('0.01')).normalize():f}"
    return text
