"""A portal's colours: WCAG contrast checks for the branding settings, and the CSS custom properties they produce.

The public stylesheets only ever use `var(--primary-…)` and `var(--accent)`; `/theme/<version>.css` (see
`content.views.theme_css`) sets those from the site's `PortalSettings`, so another county re-brands in the
admin without touching a template. Every shade is derived here, server-side, so no browser needs
`color-mix()` (old Android WebViews lack it).
"""

import hashlib
import re

from django.core.exceptions import ValidationError

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)

DEFAULT_PRIMARY = "#0d4a84"
DEFAULT_ACCENT = "#b0262c"

# WCAG 2.1 AA: 4.5:1 for body text (1.4.3), 3:1 for graphical marks and focus indicators (1.4.11).
TEXT_CONTRAST = 4.5
MARK_CONTRAST = 3.0

# How far each shade moves towards black or white; the lightest tint is used as a background under
# primary-coloured text, which is why the primary colour is checked against it and not only white.
SHADES = {"900": (BLACK, 0.28), "700": (None, 0), "600": (WHITE, 0.1), "100": (WHITE, 0.85), "50": (WHITE, 0.94)}


def parse_hex(value):
    """'#0d4a84' → (13, 74, 132)."""
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


def to_hex(rgb):
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def mix(rgb, other, amount):
    """`rgb` moved `amount` (0–1) of the way towards `other`."""
    return tuple(c + (o - c) * amount for c, o in zip(rgb, other, strict=True))


def relative_luminance(rgb):
    """WCAG 2.1 relative luminance of an sRGB colour."""

    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG contrast ratio of two RGB colours, from 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def shades(primary):
    """The primary colour's five shades as {'900': '#…', …}; '700' is the colour itself."""
    rgb = parse_hex(primary)
    return {
        name: primary.lower() if towards is None else to_hex(mix(rgb, towards, amount))
        for name, (towards, amount) in SHADES.items()
    }


def validate_hex_colour(value):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError("请填写 #RRGGBB 格式的颜色，例如 #0d4a84。", code="invalid_colour")


def validate_primary_colour(value):
    """The primary colour carries white text (header, buttons) and is itself text on white and its lightest tint."""
    validate_hex_colour(value)
    rgb = parse_hex(value)
    ratio = min(contrast(rgb, WHITE), contrast(rgb, parse_hex(shades(value)["50"])))
    if ratio < TEXT_CONTRAST:
        raise ValidationError(
            "主色太浅：白色文字放在它上面、或用它作文字颜色时，对比度只有 %(ratio).1f:1，"
            "至少需要 4.5:1（WCAG 2.1 AA）。请选更深的颜色。",
            code="low_contrast",
            params={"ratio": ratio},
        )


def validate_accent_colour(value):
    """The accent colour marks things (header stripe, current navigation item), so it needs 3:1 against white."""
    validate_hex_colour(value)
    ratio = contrast(parse_hex(value), WHITE)
    if ratio < MARK_CONTRAST:
        raise ValidationError(
            "强调色太浅：它与白色背景的对比度只有 %(ratio).1f:1，至少需要 3:1（WCAG 2.1 AA）。请选更深的颜色。",
            code="low_contrast",
            params={"ratio": ratio},
        )


def theme_css(primary, accent):
    """The stylesheet that brands the portal: custom properties only, so it stays a few hundred bytes."""
    lines = [f"  --primary-{name}: {value};" for name, value in shades(primary).items()]
    lines.append(f"  --accent: {accent.lower()};")
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def theme_version(css):
    """A short hash of the stylesheet: part of its URL, so a changed colour is a new URL and the old one may be cached forever."""
    return hashlib.sha256(css.encode()).hexdigest()[:12]
