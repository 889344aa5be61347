"""Template tags that render the one source of warning signs (routines.safety.warning_signs)."""

from django import template

from ..safety import flare, warning_signs

register = template.Library()


@register.simple_tag
def emergency_sentence() -> str:
    return warning_signs.EMERGENCY_SENTENCE


@register.simple_tag
def warning_tiers():
    return warning_signs.tiers()


@register.simple_tag
def acceptable_pain() -> str:
    return flare.ACCEPTABLE_PAIN


@register.simple_tag
def flare_plan():
    return flare.FLARE_PLAN


@register.inclusion_tag("routines/_warning_tiers.html")
def warning_signs_section(heading: str = "Warning signs: when to get help instead"):
    """All three tiers with their actions, and the disclaimer: results, the warnings and the full page."""
    return {
        "tiers": warning_signs.tiers(),
        "disclaimer": warning_signs.DISCLAIMER,
        "heading": heading,
    }
