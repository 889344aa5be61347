"""The REST API's one parser: JSON, refusing nesting deeper than any Backcare body needs."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The deepest body the API takes is a list of objects in an object (3 levels); 32 leaves room
# to grow, and stays far below the depth at which Python's own parser gives up (about 1,000).
MAX_DEPTH = 32
TOO_DEEP = f"JSON nested more than {MAX_DEPTH} levels deep is not accepted."


def nesting_depth(value) -> int:
    """How many arrays and objects deep ``value`` goes, without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with excessive nesting answered 400 instead of a RecursionError's 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
        if nesting_depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
