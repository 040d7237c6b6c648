from django import template

register = template.Library()


@register.filter
def percent(value):
    """A share (0–1) as 97.5%; None (nothing to divide by) as —."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"
