"""Words for the codes stored in the database, as a user reads them on screen and paper.

Procedure types, parties holding a file, the clock's state and event kinds are stored as
codes (``NO_LAVORO``, ``applicant``, ``runs``); no screen, letter or chart shows a code
alone (docs/domain-rules.md, «Parole, non codici»). Standard library only: the window's
first screen reads these before SQLAlchemy is loaded.
"""

from __future__ import annotations

# code → (short label for tight columns and charts, what the code means)
TYPE_WORDS: dict[str, tuple[str, str]] = {
    "NO_LAVORO": ("Lavoro subordinato", "Nulla osta al lavoro subordinato (art. 22 TUI)"),
    "NO_STAGIONALE": ("Lavoro stagionale", "Nulla osta al lavoro stagionale (art. 24 TUI)"),
    "RICONGIUNGIMENTO": (
        "Ricongiungimento",
        "Nulla osta al ricongiungimento familiare (art. 29 TUI)",
    ),
    "CONVERSIONE": ("Conversione", "Conversione del permesso di soggiorno (art. 6 TUI)"),
    "CARTA_BLU": ("Carta blu UE", "Nulla osta Carta blu UE (art. 27-quater TUI)"),
    "CASI_PARTICOLARI": ("Casi particolari", "Nulla osta casi particolari (art. 27 TUI)"),
    "TEST_ITALIANO": ("Test di italiano", "Test di conoscenza della lingua italiana"),
    "CITTADINANZA": ("Cittadinanza", "Cittadinanza per residenza (art. 9 L. 91/1992)"),
    "ART18": ("Protezione sociale", "Permesso per protezione sociale (art. 18 TUI)"),
    "ART18TER": (
        "Sfruttamento lavorativo",
        "Permesso per vittime di sfruttamento lavorativo (art. 18-ter TUI)",
    ),
}

HOLDER_WORDS = {
    "sui": "Sportello Unico",
    "questura": "Questura",
    "applicant": "il richiedente",
    "none": "nessuno (pratica chiusa)",
}

CLOCK_WORDS = {"runs": "decorre", "suspended": "sospeso", "stopped": "fermo"}

EVENT_WORDS = {
    "registered": "registrazione",
    "transition": "cambio di stato",
    "parere_given": "parere reso",
    "flag_raised": "segnalazione aperta",
    "flag_resolved": "segnalazione risolta",
    "updated": "dati modificati",
    "printed": "stampa",
    "observations": "osservazioni ricevute",
    "undone": "annullamento",
}


def type_label(code: str, name: str | None = None) -> str:
    """The short label of a procedure type; a type an administrator added shows its name."""
    known = TYPE_WORDS.get(code)
    if known is not None:
        return known[0]
    return name or code.replace("_", " ").capitalize()


def type_explanation(code: str, name: str | None = None) -> str:
    """What the code stands for, with the code itself: the tooltip beside a short label."""
    known = TYPE_WORDS.get(code)
    meaning = known[1] if known is not None else (name or code)
    return f"{meaning} – codice {code}"


def holder_label(holder: str, holder_office: str | None = None) -> str:
    """Who holds the file: the office's code when an office holds it, else in words.

    ``holder`` is the party (``sui``, ``questura``, ``applicant``, ``none``) or, as the
    table gives it, already the office code."""
    if holder in ("applicant", "none"):
        return HOLDER_WORDS[holder]
    if holder_office:
        return holder_office
    return HOLDER_WORDS.get(holder, holder)


def clock_label(clock: str | None) -> str:
    return CLOCK_WORDS.get(clock or "", clock or "")


def event_label(kind: str) -> str:
    return EVENT_WORDS.get(kind, kind)


def italian_number(value: float | None, decimals: int = 1, percent: bool = False) -> str:
    """1.234,5 and 87 % (a non-breaking space before %); no value is a dash."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text}\u00a0%" if percent else text


# The state a move reaches → the button's verb: a button says what it does.
MOVE_VERBS = {
    "in_istruttoria": "Avvia istruttoria",
    "parere_richiesto": "Richiedi parere",
    "integrazione_richiesta": "Richiedi integrazione",
    "preavviso_rigetto": "Invia preavviso di rigetto",
    "convocata": "Convoca",
    "definita_positiva": "Concludi positivamente",
    "rigettata": "Rigetta",
    "archiviata": "Archivia",
}


def move_verb(to_state: str, label: str) -> str:
    """The verb of a move; a state an administrator added reads «Porta a «label»»."""
    return MOVE_VERBS.get(to_state, f"Porta a «{label}»")
