"""The verbale of a tavolo di coordinamento meeting as a PDF, in the forms' house style:
the convening office's letterhead, the meeting's facts and participants, the agenda with
its outcomes, the actions, the signature lines of the two heads; restricted items on a
separate annex, present only in a cleared person's copy."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from models.dates import italian_date
from models.services.tavolo.minutes import Minutes, NumberedItem
from models.services.tavolo.views import ItemFacts
from reports.documents import FormDocument
from reports.forms import letterhead
from reports.page import (
    BOLD,
    register_fonts,
)
from reports.pdf import (
    BODY,
    LABEL,
    SMALL,
    SMALL_BOLD,
    TEXT_WIDTH,
    TITLE,
    VALUE,
    _styled,
    _text,
    build_pdf,
)
from reports.site import PrintSetup

HEADING = ParagraphStyle(
    "heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
)
SECTION = ParagraphStyle(
    "section", fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=6, spaceAfter=2
)
DRAFT = ParagraphStyle("draft", parent=BODY, textColor=colors.HexColor("#9a1c1c"), fontName=BOLD)
REASONS = {
    "action_open": "azione aperta",
    "parere_overdue": "parere oltre l'obiettivo",
    "flag_old": "segnalazione aperta da tempo",
    "bouncing": "rimbalzi tra uffici",
    "overdue": "oltre il termine",
    "at_risk": "a rischio",
    "topic": "argomento",
    "proposal": "proposta del personale",
}


def _grid(headers: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data: list[list[Any]] = [[Paragraph(_text(h), SMALL_BOLD) for h in headers]]
    data += [[Paragraph(cell, SMALL) for cell in row] for row in rows]
    table = LongTable(data, colWidths=[TEXT_WIDTH * w for w in widths], repeatRows=1)
    return _styled(
        table,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    )


def _facts(minutes: Minutes) -> Table:
    meeting = minutes.meeting
    pairs = [
        ("Data", italian_date(meeting.held_on)),
        ("Luogo", meeting.place or "—"),
        ("Stato", meeting.state_label),
    ]
    if meeting.every_weeks:
        pairs.append(("Periodicità", f"ogni {meeting.every_weeks} settimane"))
    if meeting.seal:
        pairs.append(("Sigillo", meeting.seal))
    rows = [[Paragraph(_text(k), LABEL), Paragraph(_text(v), VALUE)] for k, v in pairs]
    return _styled(
        Table(rows, colWidths=[TEXT_WIDTH * 0.22, TEXT_WIDTH * 0.78], hAlign="LEFT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    )


def _participants(minutes: Minutes) -> list[Flowable]:
    rows = [[_text(p.name), _text(p.office)] for p in minutes.participants]
    if not rows:
        return [Paragraph("Nessun partecipante indicato.", BODY)]
    return [_grid(["Nome", "Ufficio"], rows, [0.5, 0.5])]


def _subject(item: ItemFacts) -> str:
    parts = []
    if item.dossier:
        person = f" – {_text(item.person)}" if item.person else ""
        parts.append(f"<b>{_text(item.dossier)}</b>{person}")
    if item.topic:
        parts.append(_text(item.topic))
    if item.detail:
        parts.append(f"<i>{_text(item.detail)}</i>")
    return "<br/>".join(parts)


def _outcomes(item: ItemFacts) -> str:
    if not item.outcomes:
        return "Non trattato: rinviato alla riunione successiva" if item.not_reached else "—"
    lines = []
    for outcome in item.outcomes:
        text = f"<b>{_text(outcome.kind_label)}</b>: {_text(outcome.text)}"
        if outcome.owner:
            text += f" — a cura di {_text(outcome.owner)}"
        if outcome.due_on:
            text += f", entro il {italian_date(outcome.due_on)}"
        if outcome.flag_number:
            text += f" (segnalazione #{outcome.flag_number} aperta)"
        if outcome.moved_to:
            text += f" (pratica portata a «{_text(outcome.moved_to)}»)"
        lines.append(text)
    return "<br/>".join(lines)


def _agenda(items: list[NumberedItem]) -> list[Flowable]:
    if not items:
        return [Paragraph("Nessun punto all'ordine del giorno.", BODY)]
    story: list[Flowable] = []
    section = None
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            story.append(
                _grid(
                    ["N.", "Pratica o argomento", "Motivo", "Esito"], rows, [0.07, 0.4, 0.15, 0.38]
                )
            )
            rows.clear()

    for entry in items:
        item = entry.item
        if item.section != section:
            flush()
            section = item.section
            story.append(Paragraph(_text(section), SECTION))
        rows.append(
            [
                _text(entry.number),
                _subject(item),
                _text(REASONS.get(item.reason, item.reason)),
                _outcomes(item),
            ]
        )
    flush()
    return story


def _actions(items: list[NumberedItem]) -> list[Flowable]:
    actions = Minutes.actions(items)
    if not actions:
        return [Paragraph("Nessuna azione.", BODY)]
    rows = [
        [
            _text(a.item),
            _text(a.action.text),
            _text(a.action.owner or ""),
            _text(italian_date(a.action.due_on)),
            _text(a.dossier or ""),
            _text(italian_date(a.action.done_on) or ""),
        ]
        for a in actions
    ]
    headers = ["Punto", "Azione", "Incaricato", "Scadenza", "Pratica", "Svolta il"]
    return [_grid(headers, rows, [0.07, 0.31, 0.17, 0.12, 0.21, 0.12])]


def _signatures(minutes: Minutes) -> Flowable:
    share = TEXT_WIDTH / 2
    cells = [
        [
            Paragraph(_text(caption), LABEL),
            Paragraph(_text(name) or "&nbsp;", VALUE),
            Spacer(1, 12 * mm),
            Paragraph("Firma ______________________", BODY),
        ]
        for caption, name in minutes.signatories
    ]
    return KeepTogether(
        [Spacer(1, 10 * mm), _styled(Table([cells], colWidths=[share] * 2, hAlign="LEFT"))]
    )


def _story(minutes: Minutes, title: str) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(_text(title), TITLE)]
    if not minutes.final:
        story.append(Paragraph("BOZZA — la riunione non è ancora chiusa.", DRAFT))
    story += [_facts(minutes), Paragraph("Partecipanti", HEADING), *_participants(minutes)]
    story += [Paragraph("Ordine del giorno ed esiti", HEADING), *_agenda(minutes.items)]
    story += [Paragraph("Azioni", HEADING), *_actions(minutes.items)]
    story.append(_signatures(minutes))
    if minutes.restricted:
        story += [
            PageBreak(),
            Paragraph("Allegato riservato — pratiche art. 18 e 18-ter", TITLE),
            Paragraph(
                "Da non diffondere: riservato al personale abilitato alle pratiche protette.",
                DRAFT,
            ),
            *_agenda(minutes.restricted),
            Paragraph("Azioni", HEADING),
            *_actions(minutes.restricted),
        ]
    return story


def render_verbale(minutes: Minutes, setup: PrintSetup | None = None) -> bytes:
    register_fonts()
    number = minutes.meeting.number
    title = f"Verbale del tavolo di coordinamento n. {number}"
    held = minutes.meeting.held_on
    document = FormDocument(
        form="verbale-tavolo",
        title=title,
        letterhead=letterhead(minutes.office, setup),
        barcode=f"TAVOLO-{held.year:04d}-{number}",
        dated=held,
    )
    return build_pdf(document, _story(minutes, title))
