"""Everything a user has logged, as CSV or JSON, produced piece by piece.

Both formats carry the same records: every session, then every pain entry, then every
saved self-check, then every marked day, then every outcome, each in date order, each tagged
with ``type`` ("session", "pain", "self_check", "day_mark" or "outcome"). The CSV is one table
whose columns are the union of all kinds; a column that does not apply to a row is empty, a
self-check's causes and a pain entry's areas and factors are joined with ";", an outcome's PSFS
rows are written "activity=score" joined with ";", and a text cell a spreadsheet would run as a
formula (a PSFS activity's name included) gets a leading quote.
Rows are read with ``.iterator()`` and written in batches, so the memory used stays
flat whatever the length of the history.
"""

import csv
import io
import json
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder

from .models import DayMark, Outcome, PainEntry, SelfCheck, Session

CHUNK_SIZE = 2000

SESSION_FIELDS = [
    "id",
    "date",
    "routine",
    "duration_minutes",
    "steps_completed",
    "pain_before",
    "pain_after",
    "side",
    "notes",
    "created_at",
    "updated_at",
]
PAIN_FIELDS = ["id", "date", "score", "context", "side", "areas", "notes", "factors", "created_at", "updated_at"]
SELF_CHECK_FIELDS = ["id", "date", "pelvis", "causes", "chain", "created_at"]
DAY_MARK_FIELDS = ["id", "date", "kind", "created_at"]
OUTCOME_FIELDS = ["id", "date", "walking_minutes", "standing_minutes", "psfs", "created_at", "updated_at"]
CSV_COLUMNS = [
    "type",
    *SESSION_FIELDS[:-3],
    "score",
    "context",
    "areas",
    "notes",
    "created_at",
    "updated_at",
    "pelvis",
    "causes",
    "chain",
    "factors",
    "kind",
    "walking_minutes",
    "standing_minutes",
    "psfs",
]

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def records(user) -> Iterator[dict]:
    """Every session, then every pain entry, then every self-check, of ``user`` only, oldest first."""
    sessions = (
        Session.objects.for_user(user)
        .order_by("date", "id")
        .values_list("id", "date", "routine__slug", *SESSION_FIELDS[3:])
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for values in sessions:
        yield {"type": "session", **dict(zip(SESSION_FIELDS, values, strict=True))}
    entries = PainEntry.objects.for_user(user).order_by("date", "id").values_list(*PAIN_FIELDS)
    for values in entries.iterator(chunk_size=CHUNK_SIZE):
        yield {"type": "pain", **dict(zip(PAIN_FIELDS, values, strict=True))}
    checks = SelfCheck.objects.for_user(user).order_by("date", "id").values_list(*SELF_CHECK_FIELDS)
    for values in checks.iterator(chunk_size=CHUNK_SIZE):
        yield {"type": "self_check", **dict(zip(SELF_CHECK_FIELDS, values, strict=True))}
    marks = DayMark.objects.for_user(user).order_by("date", "id").values_list(*DAY_MARK_FIELDS)
    for values in marks.iterator(chunk_size=CHUNK_SIZE):
        yield {"type": "day_mark", **dict(zip(DAY_MARK_FIELDS, values, strict=True))}
    outcomes = Outcome.objects.for_user(user).order_by("date", "id").values_list(*OUTCOME_FIELDS)
    for values in outcomes.iterator(chunk_size=CHUNK_SIZE):
        yield {"type": "outcome", **dict(zip(OUTCOME_FIELDS, values, strict=True))}


def _batched(pieces: Iterator[str], size: int = CHUNK_SIZE) -> Iterator[str]:
    """Join small pieces so the server writes a few large chunks, not one per row."""
    batch = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join(f"{item['activity']}={item['score']}" if isinstance(item, dict) else item for item in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # A leading quote makes the spreadsheet show the text as typed; the JSON export keeps it unchanged.
        return "'" + value
    return value


def _csv_lines(user) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(CSV_COLUMNS)
    for record in records(user):
        yield line([_csv_value(record.get(column)) for column in CSV_COLUMNS])


def _json_pieces(user) -> Iterator[str]:
    yield "["
    for index, record in enumerate(records(user)):
        yield ("," if index else "") + "\n" + json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield "\n]\n"


def export_chunks(user, *, format: str) -> Iterator[str]:
    """The export of ``user`` in ``format`` ("csv" or "json"), as an iterator of text chunks."""
    pieces = {"csv": _csv_lines, "json": _json_pieces}[format](user)
    return _batched(pieces)


def export_filename(user, *, format: str) -> str:
    return f"backcare-{user.username}-{user.local_today().isoformat()}.{format}"
