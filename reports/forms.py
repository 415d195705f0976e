"""Gather what a form needs in one unit of work and turn it into a ``FormDocument``.

The drawing (``reports.pdf``) never sees the database; this module never draws.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from models.deadlines import office_calendar
from models.dossiers import Dossier
from models.enums import OfficeKind
from models.errors import NotFound, ValidationError
from models.offices import Office
from models.parere_target import read_parere_target
from models.read.views import DossierDetail, DossierSummary
from models.services.labels import type_label
from models.services.letter_rules import ISSUED_BY_COUNTERPART, check_letter, check_worklist
from models.services.letter_values import letter_values
from models.uow import UnitOfWork
from reports.documents import FormDocument, Letterhead, Table
from reports.fields import MISSING, dossier_fields, it_date, parere_fields
from reports.form_list import FORMS, form_spec
from reports.site import PrintSetup
from reports.wording import fill, load_template, paragraphs

OBSERVATION_DAYS = 10  # art. 10-bis L. 241/1990
INTEGRATION_DAYS = 30  # art. 2 c.7 L. 241/1990: the suspension lasts at most 30 days


# Letters addressed to the other office rather than to the applicant.
TO_COUNTERPART = {"richiesta-parere", "esito-parere"}


def logo_for(office: Office, setup: PrintSetup | None) -> bytes | None:
    """The site's logo, else ``logo-<CODE>.png`` or ``logo.png`` in the templates folder."""
    if setup is None:
        return None
    if site_logo := setup.letterhead_logo(office.code):
        return site_logo
    if setup.templates_dir is None:
        return None
    for name in (f"logo-{office.code}.png", "logo.png"):
        path = setup.templates_dir / name
        if path.is_file():
            return path.read_bytes()
    return None


def letterhead(office: Office, setup: PrintSetup | None) -> Letterhead:
    site = setup.letterhead_overrides(office.code) if setup else {}
    return Letterhead(
        administration=site.get("administration", office.administration),
        office=site.get("office", office.name),
        address=site.get("address", office.address),
        pec=site.get("pec", office.pec),
        signatory=site.get("signatory", office.signatory),
        responsabile=site.get("responsabile", office.responsabile),
        logo=logo_for(office, setup),
    )


def counterpart(uow: UnitOfWork, office: Office) -> Office:
    from sqlalchemy import select

    other = OfficeKind.QUESTURA if office.office_kind is OfficeKind.SUI else OfficeKind.SUI
    found = uow.session.scalar(
        select(Office)
        .where(Office.kind == other.value, Office.province == office.province)
        .order_by(Office.code)
        .limit(1)
    )
    if found is None:
        raise NotFound(f"nessun ufficio {other.value} nella provincia {office.province}")
    return found


def _compose(form: str, values: Mapping[str, str], setup: PrintSetup | None) -> tuple[str, ...]:
    text, source = load_template(form, setup)
    return tuple(paragraphs(fill(text, values, source)))


def _letter_values(
    uow: UnitOfWork, form: str, dossier: Dossier, detail: DossierDetail
) -> dict[str, str]:
    """Placeholders that depend on the form: computed dates, reasons, documents."""
    today = uow.today
    calendar = office_calendar(uow.session, dossier.protocol_office)
    values: dict[str, str] = parere_fields(detail)
    missing_documents = "; ".join(
        f.text for f in detail.flags if f.is_open and f.category == "documenti_mancanti"
    )
    if form == "richiesta-parere":
        target = read_parere_target(uow.session)
        pending = [p for p in detail.pareri if not p.given_on]
        asked = pending[-1].requested_on if pending else today
        values["parere_entro"] = it_date(calendar.roll_forward(asked + timedelta(days=target)))
    elif form == "richiesta-integrazione":
        values["documenti"] = missing_documents or MISSING
        values["risposta_entro"] = it_date(
            calendar.roll_forward(today + timedelta(days=INTEGRATION_DAYS))
        )
    elif form == "preavviso-rigetto":
        obstacles = [p.reasons for p in detail.pareri if p.outcome == "motivi_ostativi"]
        values["motivi"] = obstacles[-1] if obstacles and obstacles[-1] else MISSING
        values["giorni_osservazioni"] = str(OBSERVATION_DAYS)
        values["osservazioni_entro"] = it_date(
            calendar.roll_forward(today + timedelta(days=OBSERVATION_DAYS))
        )
    elif form == "convocazione":
        values["luogo"] = ", ".join(
            part for part in (dossier.protocol_office.name, dossier.protocol_office.address) if part
        )
        values["documenti"] = (
            "documento di identità o passaporto in corso di validità, in originale e copia"
        )
        values["appuntamento_data"] = MISSING
        values["appuntamento_ora"] = MISSING
    elif form == "ricevuta":
        values["documenti"] = "domanda e allegati come da elenco presentato"
    return values


def _cover_facts(fields: Mapping[str, str], detail: DossierDetail) -> tuple[tuple[str, str], ...]:
    open_flags = sum(1 for f in detail.flags if f.is_open)
    return (
        ("Cognome e nomi", f"{fields['cognome']} {fields['nomi']}"),
        ("Nato/a il", f"{fields['data_nascita']} a {fields['luogo_nascita']}"),
        ("Cittadinanza", fields["cittadinanza"]),
        ("Codice fiscale", fields["codice_fiscale"]),
        ("Passaporto / CUI", f"{fields['passaporto']} / {fields['cui']}"),
        ("Datore / richiedente", f"{fields['datore']} ({fields['datore_codice_fiscale']})"),
        ("Presentata il", fields["presentata_il"]),
        ("Termine", f"{fields['termine']} – {fields['base_termine']}"),
        ("Scadenza", f"{fields['scadenza']} (sospensione {fields['giorni_sospensione']} gg)"),
        ("Stato", fields["stato"]),
        ("Segnalazioni aperte", str(open_flags)),
    )


def dossier_document(
    uow: UnitOfWork,
    form: str,
    ref: str,
    setup: PrintSetup | None = None,
    extra: Mapping[str, str] | None = None,
) -> FormDocument:
    """A letter about one dossier: frontespizio, ricevuta, … preavviso-rigetto."""
    from models.services import views
    from models.services.lookup import get_dossier

    spec = form_spec(form)
    if spec.kind != "letter":
        raise ValidationError({"form": f"il modulo «{form}» non riguarda una sola pratica"})
    dossier = get_dossier(uow, ref, with_history=True)
    check_letter(uow, dossier, form)  # the rule, for one letter as for many
    detail = views.dossier_detail(uow, dossier, with_moves=False)
    lead = dossier.protocol_office
    other = counterpart(uow, lead)
    # the issuing office (models.services.letter_rules): the one that may print it
    sender_office = other if form in ISSUED_BY_COUNTERPART else lead
    sender = letterhead(sender_office, setup)
    recipient_office = lead if sender_office is other else other
    recipient = letterhead(recipient_office, setup)
    legal_basis = dossier.procedure_type.legal_basis
    fields = dossier_fields(detail, legal_basis, sender, recipient, uow.today)
    fields.update(_letter_values(uow, form, dossier, detail))
    fields.update(extra or {})
    fields.update(letter_values(form, fields))

    if form in TO_COUNTERPART:
        address = [recipient.administration, recipient.office]
        address += [f"PEC: {recipient.pec}"] if recipient.pec else []
    elif form == "frontespizio":
        address = []
    else:
        address = [f"Sig./Sig.ra {fields['nomi']} {fields['cognome']}"]
        if detail.employer.name:
            address.append(f"c/o {detail.employer.name}")
        if detail.employer.pec:
            address.append(f"PEC: {detail.employer.pec}")
    return FormDocument(
        form=form,
        title=spec.title,
        letterhead=sender,
        barcode=detail.reference,
        dated=uow.today,
        reference=tuple(
            (label, value)
            for label, value in (
                ("Protocollo", detail.reference),
                ("Data", it_date(uow.today)),
                ("Codice domanda", fields["codice_domanda"]),
                ("Procedimento", f"{fields['procedimento']} ({legal_basis})"),
                ("Responsabile del procedimento", fields["responsabile"]),
            )
            # a dossier without an application code has no such line; the responsabile
            # (art. 8 L. 241/1990) shows «—» until the office names one
            if value != MISSING or label != "Codice domanda"
        ),
        recipient=tuple(address),
        body=_compose(form, fields, setup),
        facts=_cover_facts(fields, detail) if form == "frontespizio" else (),
        qr=f"raccordo:{detail.reference}|{fields['codice_domanda']}|{detail.id}"
        if form == "frontespizio"
        else None,
        subject=f"{spec.title} – {detail.reference} – {fields['cognome']} {fields['nomi']}",
        dossiers=(detail.reference,),
    )


def _slip_number(office: Office, today: date, references: Sequence[str]) -> str:
    """The slip's own reference: office, date and a digest of what it lists.

    Slips have no protocol register of their own yet; the digest makes two different
    slips of the same day tell apart, and the same slip printed twice read the same.
    """
    digest = hashlib.sha1("\n".join(references).encode()).hexdigest()[:4].upper()
    return f"DT-{office.code}-{today:%y%m%d}-{digest}"


def transmittal_document(
    uow: UnitOfWork,
    refs: Sequence[str],
    setup: PrintSetup | None = None,
    to_office: str | None = None,
) -> FormDocument:
    from models.services import views
    from models.services.lookup import get_dossier, get_office

    if not refs:
        raise ValidationError({"dossier": "indicare almeno una pratica"})
    sender_office = uow.actor.office
    recipient_office = (
        get_office(uow.session, to_office) if to_office else counterpart(uow, sender_office)
    )
    found = [get_dossier(uow, ref) for ref in refs]
    dossiers = list({dossier.id: dossier for dossier in found}.values())  # each once
    summaries = [views.dossier_summary(uow, d) for d in dossiers]
    rows = tuple(
        (
            str(number),
            s.reference,
            s.application_code or MISSING,
            s.name,
            type_label(s.type_code, s.type_name),
            s.state_label,
            it_date(s.deadline),
        )
        for number, s in enumerate(summaries, start=1)
    )
    sender = letterhead(sender_office, setup)
    recipient = letterhead(recipient_office, setup)
    number = _slip_number(sender_office, uow.today, [s.reference for s in summaries])
    values = {
        "data": it_date(uow.today),
        "numero_pratiche": str(len(rows)),
        "ufficio": sender.office,
        "amministrazione": sender.administration,
        "ufficio_destinatario": recipient.office,
        "amministrazione_destinatario": recipient.administration,
        "numero_distinta": number,
    }
    spec = FORMS["distinta-trasmissione"]
    return FormDocument(
        form=spec.name,
        title=spec.title,
        letterhead=sender,
        barcode=number,
        dated=uow.today,
        reference=(("Distinta", number), ("Data", it_date(uow.today))),
        recipient=(recipient.administration, recipient.office),
        body=_compose(spec.name, values, setup),
        table=Table(
            ("N.", "Protocollo", "Codice domanda", "Cognome e nomi", "Tipo", "Stato", "Scadenza"),
            rows,
            (0.04, 0.19, 0.17, 0.20, 0.18, 0.11, 0.11),
        ),
        signatures=(f"Consegnato da: {sender.office}", f"Ricevuto da: {recipient.office}"),
        subject=f"{spec.title} {number}: {len(rows)} pratiche",
        dossiers=tuple(s.reference for s in summaries),
    )


def _days_label(summary: DossierSummary) -> str:
    days = summary.days_left
    return f"scaduta da {-days} gg" if days < 0 else f"{days} gg"


def worklist_document(
    uow: UnitOfWork, office_code: str | None, within: int, setup: PrintSetup | None = None
) -> FormDocument:
    from models.services import views
    from models.services.lookup import get_office

    office = get_office(uow.session, office_code) if office_code else uow.actor.office
    check_worklist(uow, office.office_kind)
    summaries = views.deadline_summaries(uow, within, office.code)
    rows = tuple(
        (
            it_date(s.deadline),
            _days_label(s),
            s.reference,
            s.name,
            type_label(s.type_code, s.type_name),
            s.state_label,
            str(s.open_flags or ""),
        )
        for s in summaries
    )
    head = letterhead(office, setup)
    spec = FORMS["scadenzario"]
    values = {
        "data": it_date(uow.today),
        "giorni": str(within),
        "fino_al": it_date(uow.today + timedelta(days=within)),
        "numero_pratiche": str(len(rows)),
        "ufficio": head.office,
        "amministrazione": head.administration,
    }
    number = f"SC-{office.code}-{uow.today:%Y%m%d}"
    return FormDocument(
        form=spec.name,
        title=f"{spec.title} – {head.office}",
        letterhead=head,
        barcode=number,
        dated=uow.today,
        reference=(("Scadenzario", number), ("Data", it_date(uow.today))),
        body=_compose(spec.name, values, setup),
        table=Table(
            ("Scadenza", "Giorni", "Protocollo", "Cognome e nomi", "Tipo", "Stato", "Segn."),
            rows,
            (0.11, 0.16, 0.20, 0.17, 0.18, 0.11, 0.07),
        ),
        signatures=("Visto: il responsabile dell'ufficio",),
        subject=f"{spec.title} {office.code} al {it_date(uow.today)}, entro {within} giorni",
    )


def separator_document(
    uow: UnitOfWork, refs: Sequence[str], kind: str = "", setup: PrintSetup | None = None
) -> FormDocument:
    """Separator sheets, one per dossier (each once), optionally naming a document kind."""
    from models.separators import payload
    from models.services.lookup import get_dossier
    from reports.documents import SeparatorSheet

    if not refs:
        raise ValidationError({"dossier": "indicare almeno una pratica"})
    try:
        payload("X", kind)
    except ValueError as error:
        raise ValidationError({"tipo": str(error)}) from None
    found = [get_dossier(uow, ref) for ref in refs]
    dossiers = list({dossier.id: dossier for dossier in found}.values())
    sheets = tuple(
        SeparatorSheet(
            payload(d.reference, kind),
            d.reference,
            f"{d.surname} {d.given_names}".strip(),
            kind,
        )
        for d in dossiers
    )
    spec = FORMS["separatore"]
    return FormDocument(
        form=spec.name,
        title=spec.title,
        letterhead=letterhead(uow.actor.office, setup),
        barcode=sheets[0].payload,
        dated=uow.today,
        subject=f"{spec.title}: {len(sheets)} pratiche",
        sheets=sheets,
    )
