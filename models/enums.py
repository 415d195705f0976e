"""Closed vocabularies of the domain, stored as their string values."""

from __future__ import annotations

from enum import StrEnum


class OfficeKind(StrEnum):
    SUI = "sui"  # Sportello Unico per l'Immigrazione (Prefettura)
    QUESTURA = "questura"  # Ufficio Immigrazione della Questura


class Role(StrEnum):
    SUI_CLERK = "sui_clerk"
    QUESTURA_OFFICER = "questura_officer"
    HEAD = "head"
    ADMIN = "admin"


class Party(StrEnum):
    """Who holds the file while a dossier is in a state."""

    SUI = "sui"
    QUESTURA = "questura"
    APPLICANT = "applicant"
    NONE = "none"  # final states: nobody holds it any more


class ClockEffect(StrEnum):
    RUNS = "runs"
    SUSPENDED = "suspended"
    STOPPED = "stopped"


class TermUnit(StrEnum):
    DAYS = "days"  # calendar days
    MONTHS = "months"
    WORKING_DAYS = "working_days"


class TermStart(StrEnum):
    FILING = "filing"
    QUOTA_ASSIGNMENT = "quota_assignment"  # decreto flussi: assignment to the quota


class PreavvisoEffect(StrEnum):
    """What a preavviso di rigetto (art. 10-bis L. 241/1990) does to the term."""

    SUSPENDS = "suspends"  # from 17 Jul 2020 (DL 76/2020)
    INTERRUPTS = "interrupts"  # before: the term runs again in full


class ParereOutcome(StrEnum):
    FAVOREVOLE = "favorevole"
    MOTIVI_OSTATIVI = "motivi_ostativi"  # obstacles found


class EventKind(StrEnum):
    REGISTERED = "registered"
    TRANSITION = "transition"
    PARERE_GIVEN = "parere_given"
    FLAG_RAISED = "flag_raised"
    FLAG_RESOLVED = "flag_resolved"
    UPDATED = "updated"
    PRINTED = "printed"  # a letter or slip was printed from the dossier
    OBSERVATIONS = "observations"  # the applicant's reply to a preavviso di rigetto
    UNDONE = "undone"  # compensates the move just before it (models/services/undo.py)


# State codes of the common skeleton (docs/domain-rules.md, "Il percorso della pratica").
PRESENTATA = "presentata"
IN_ISTRUTTORIA = "in_istruttoria"
PARERE_RICHIESTO = "parere_richiesto"
INTEGRAZIONE_RICHIESTA = "integrazione_richiesta"
PREAVVISO_RIGETTO = "preavviso_rigetto"
CONVOCATA = "convocata"
DEFINITA_POSITIVA = "definita_positiva"
RIGETTATA = "rigettata"
ARCHIVIATA = "archiviata"


# Pending-item categories and their labels.
FLAG_CATEGORIES: dict[str, str] = {
    "documenti_mancanti": "Documenti mancanti",
    "verifica_identita": "Verifica identità",
    "motivi_ostativi": "Motivi ostativi",
    "altro": "Altro",
}
