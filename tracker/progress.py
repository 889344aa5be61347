"""Progress: the one definition of every figure (PRODUCT.md §1 Progress).

The web pages, the REST API and the reminder emails all call these functions.
"""
# Filled in by the progress feature: summary(user, *, start=None, end=None) -> dict
# and daily(user, *, start=None, end=None) -> list[dict], with the field names of PRODUCT.md.
