"""The clinician report as a one-page A4 PDF, laid out with reportlab from ``report_figures``.

The same figures, in the same words and formats, as the printable HTML page
(tracker/templates/tracker/report.html); the format helpers live here and in the template
filters of tracker.templatetags.progress_tags (``percent``), and the tests read the PDF's text
back to check it against the progress API."""

import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..models import PAIN_MAX
from ..templatetags.progress_tags import percent
from .figures import DISCLAIMER

MARGIN = 14 * mm
MAX_ROUTINES, MAX_FACTORS = 5, 7
GRID = TableStyle(
    [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
    ]
)


def number(value, suffix="") -> str:
    return "–" if value is None else f"{value:g}{suffix}"


def signed(value) -> str:
    return "–" if value is None else f"{value:+g}"


def _trend(points: list[tuple[int, float]], *, top: float, label: str, width: float, height: float = 32 * mm):
    """A small line plot of (x, y) points; nothing to draw gives a sentence instead."""
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 9, label, fontName="Helvetica-Bold", fontSize=8))
    if len(points) < 2:
        drawing.add(String(0, height / 2, "Not enough entries to draw a trend.", fontSize=8))
        return drawing
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 22, 14, width - 30, height - 30
    plot.data = [points]
    plot.lines[0].strokeColor = colors.HexColor("#2f6f62")
    plot.lines[0].strokeWidth = 1.5
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = points[0][0], points[-1][0]
    plot.xValueAxis.visibleLabels = False
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, top
    plot.yValueAxis.labels.fontSize = 7
    drawing.add(plot)
    return drawing


def render_pdf(figures: dict) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    heading = styles["Heading3"].clone("heading", spaceBefore=5, spaceAfter=2)
    summary = figures["summary"]
    pain = summary["pain"]
    width = A4[0] - 2 * MARGIN
    story = [
        Paragraph(f"Backcare report for {escape(figures['user'].get_username())}", styles["Title"]),
        Paragraph(
            f"The last {figures['weeks']} weeks: {figures['start']:%d %b %Y} to {figures['end']:%d %b %Y}. "
            "Self-recorded; pain on a 0–10 scale.",
            body,
        ),
    ]
    if figures["warning"] is not None:
        story.append(Paragraph(f"<b>Warning:</b> {escape(figures['warning'].message)}", body))

    story.append(Paragraph("Sessions and adherence", heading))
    story.append(
        Table(
            [
                ["Sessions", "Minutes", "Active days", "Adherence", "Current streak", "Habit strength", "Marked days"],
                [
                    summary["sessions"],
                    summary["minutes"],
                    summary["active_days"],
                    percent(summary["adherence"]),
                    f"{summary['current_streak']} days",
                    percent(summary["habit_strength"]),
                    summary["marked_days"],
                ],
            ],
            style=GRID,
            hAlign="LEFT",
        )
    )

    story.append(Paragraph("Pain and tolerance", heading))
    meaningful = {True: "meaningful", False: "not meaningful", None: "–"}[figures["pain_meaningful"]]
    story.append(
        Table(
            [
                ["Pain average", "First week", "Last week", "Change", "Relief per session"],
                [
                    number(pain["average"]),
                    number(pain["first_week_average"]),
                    number(pain["last_week_average"]),
                    f"{signed(pain['change'])} ({meaningful})",
                    number(summary["relief"]["average_drop"]),
                ],
            ],
            style=GRID,
            hAlign="LEFT",
        )
    )
    outcomes = summary["outcomes"]
    rows = [["Outcome", "First", "Latest", "Change", "Meaningful"]]
    for key, label in (
        ("walking_minutes", "Walking (minutes)"),
        ("standing_minutes", "Standing (minutes)"),
        ("psfs", "Own activities (PSFS, 0–10)"),
    ):
        row = outcomes[key]
        flag = {True: "yes", False: "no", None: "–"}[row["meaningful"]]
        rows.append([label, number(row["first"]), number(row["latest"]), signed(row["change"]), flag])
    story.append(Table(rows, style=GRID, hAlign="LEFT"))
    weekly = [(n, week["average"]) for n, week in enumerate(figures["weekly_pain"]) if week["average"] is not None]
    series = figures["outcome_series"]
    walking = [(row["date"].toordinal(), row["walking_minutes"]) for row in series]
    top_minutes = max([5, *(row["walking_minutes"] for row in series)])
    story.append(
        Table(
            [
                [
                    _trend(weekly, top=PAIN_MAX, label="Weekly pain average", width=width / 2 - 6),
                    _trend(walking, top=top_minutes, label="Walking tolerance (minutes)", width=width / 2 - 6),
                ]
            ],
            colWidths=[width / 2, width / 2],
            hAlign="LEFT",
        )
    )

    story.append(Paragraph("What helped", heading))
    routines = figures["insights"]["routines"][:MAX_ROUTINES]
    if routines:
        rows = [["Routine", "Scored sessions", "Mean drop", "95 % interval", ""]]
        for row in routines:
            interval = "–" if row["ci_low"] is None else f"{row['ci_low']:g} to {row['ci_high']:g}"
            rows.append(
                [row["name"], row["sessions"], number(row["average_drop"]), interval, Paragraph(row["verdict"], small)]
            )
        story.append(Table(rows, style=GRID, hAlign="LEFT", colWidths=[38 * mm, 22 * mm, 18 * mm, 24 * mm, None]))
    else:
        story.append(Paragraph("No sessions with pain before and after in this range.", small))
    factors = [row for row in figures["insights"]["factors"] if row["with_entries"]][:MAX_FACTORS]
    if factors:
        rows = [["On days with", "Entries with / without", "Difference", "95 % interval", ""]]
        for row in factors:
            interval = "–" if row["ci_low"] is None else f"{row['ci_low']:+g} to {row['ci_high']:+g}"
            rows.append(
                [
                    row["label"],
                    f"{row['with_entries']} / {row['without_entries']}",
                    signed(row["difference"]),
                    interval,
                    Paragraph(row["verdict"], small),
                ]
            )
        story.append(Table(rows, style=GRID, hAlign="LEFT", colWidths=[38 * mm, 30 * mm, 18 * mm, 24 * mm, None]))

    story += [Spacer(1, 4 * mm), Paragraph(DISCLAIMER, small)]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Backcare report, {figures['start']:%d %b %Y} to {figures['end']:%d %b %Y}",
        invariant=1,
    )
    # One page whatever the content: shrink to fit rather than flow onto a second sheet.
    document.build([KeepInFrame(width, A4[1] - 2 * MARGIN, story, mode="shrink")])
    return buffer.getvalue()
