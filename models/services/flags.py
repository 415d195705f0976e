"""Pending items (segnalazioni) one office raises on a dossier for the other."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select

from models.bounds import check_text
from models.deadlines import refresh_derived
from models.dossiers import DossierEvent, Flag
from models.enums import FLAG_CATEGORIES, EventKind, OfficeKind
from models.errors import NotFound, PermissionDenied, ValidationError
from models.offices import Office
from models.permissions import acts_for, require_visible
from models.services.changes import Changed, Changes
from models.services.lookup import get_dossier
from models.uow import UnitOfWork
from models.validation import validate_effective_date


def _other_office(uow: UnitOfWork, office: Office) -> Office:
    other_kind = OfficeKind.QUESTURA if office.office_kind is OfficeKind.SUI else OfficeKind.SUI
    other = uow.session.scalar(
        select(Office).where(Office.kind == other_kind.value, Office.province == office.province)
    )
    if other is None:
        raise NotFound(f"nessun ufficio {other_kind.value} configurato per {office.province}")
    return other


def raise_flag(
    uow: UnitOfWork, ref: str, category: str, text: str, suspends: bool, on: date
) -> tuple[int, Changes]:
    text = check_text("text", "testo della segnalazione", text)
    dossier = get_dossier(uow, ref, with_history=True)
    errors = {}
    if not category.strip():
        errors["category"] = "scegliere la categoria della segnalazione"
    elif category not in FLAG_CATEGORIES:
        errors["category"] = f"categoria «{category}» sconosciuta; categorie: " + ", ".join(
            FLAG_CATEGORIES
        )
    if not text.strip():
        errors["text"] = "testo della segnalazione: campo obbligatorio"
    if errors:
        raise ValidationError(errors)
    if dossier.closed_on is not None:
        raise PermissionDenied(f"la pratica {dossier.reference} è chiusa")
    validate_effective_date(on, uow.today, dossier.filed_on)
    office = uow.actor.office
    number = (uow.session.scalar(select(func.max(Flag.number))) or 0) + 1
    flag = Flag(
        id=uuid.uuid4(),
        number=number,
        category=category,
        text=text.strip(),
        suspends=suspends,
        raised_by_office_id=office.id,
        for_office_id=_other_office(uow, office).id,
        raised_by_id=uow.actor.id,
        raised_on=on,
    )
    dossier.flags.append(flag)
    dossier.events.append(
        DossierEvent(
            seq=len(dossier.events),
            kind=EventKind.FLAG_RAISED.value,
            actor_id=uow.actor.id,
            office_id=office.id,
            effective_on=on,
            note=f"#{number} {FLAG_CATEGORIES[category]}: {text.strip()}"
            + (" (sospende il termine)" if suspends else ""),
        )
    )
    reading = refresh_derived(uow.session, dossier, uow.today)
    uow.session.flush()
    # Raised all the same: the clock only counts it as the law allows (art. 2 c. 7).
    warnings = tuple(f.text for f in reading.findings if suspends and f.ref == f"#{number}")
    return number, Changes.of(
        Changed.FLAGS, Changed.HISTORY, Changed.DOSSIER, dossiers=(dossier.id,), warnings=warnings
    )


def get_flag(uow: UnitOfWork, ref: str) -> Flag:
    text = ref.strip().lstrip("#")
    flag: Flag | None
    if text.isdigit():
        flag = uow.session.scalar(select(Flag).where(Flag.number == int(text)))
    else:
        try:
            flag = uow.session.get(Flag, uuid.UUID(text))
        except ValueError:
            flag = None
    if flag is None or flag.deleted_at is not None:
        raise NotFound(f"segnalazione «{ref}» non trovata")
    require_visible(uow.actor, flag.dossier, ref)
    return flag


def resolve_flag(uow: UnitOfWork, ref: str, on: date, note: str = "") -> Changes:
    note = check_text("note", "nota", note)
    flag = get_flag(uow, ref)
    if flag.resolved_on is not None:
        raise ValidationError(
            {"flag": f"segnalazione #{flag.number} già risolta il {flag.resolved_on:%d/%m/%Y}"}
        )
    involved = (flag.raised_by_office.office_kind, flag.for_office.office_kind)
    if not any(acts_for(uow.actor, kind) for kind in involved):
        raise PermissionDenied("solo gli uffici coinvolti possono risolvere la segnalazione")
    if on < flag.raised_on:
        raise ValidationError(
            {"on": f"risoluzione precedente alla segnalazione ({flag.raised_on:%d/%m/%Y})"}
        )
    validate_effective_date(on, uow.today)
    flag.resolved_on = on
    flag.resolved_by_id = uow.actor.id
    flag.resolution_note = note.strip()
    dossier = flag.dossier
    dossier.events.append(
        DossierEvent(
            seq=len(dossier.events),
            kind=EventKind.FLAG_RESOLVED.value,
            actor_id=uow.actor.id,
            office_id=uow.actor.office_id,
            effective_on=on,
            note=f"#{flag.number} risolta" + (f": {note.strip()}" if note.strip() else ""),
        )
    )
    refresh_derived(uow.session, dossier, uow.today)
    uow.session.flush()
    return Changes.of(Changed.FLAGS, Changed.HISTORY, Changed.DOSSIER, dossiers=(dossier.id,))
