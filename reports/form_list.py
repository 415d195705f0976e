"""The forms Raccordo prints: names, titles, what each needs. Light: the CLI reads it at startup."""

from __future__ import annotations

from dataclasses import dataclass

from models.errors import NotFound


@dataclass(frozen=True)
class FormSpec:
    name: str
    title: str
    description: str
    kind: str = "letter"  # letter (one dossier), slip (many), worklist (one office),
    # separator (one sheet per dossier)


FORMS: dict[str, FormSpec] = {
    spec.name: spec
    for spec in (
        FormSpec("frontespizio", "Frontespizio della pratica", "copertina del fascicolo"),
        FormSpec("ricevuta", "Ricevuta", "ricevuta di presentazione o di consegna documenti"),
        FormSpec("richiesta-parere", "Richiesta di parere", "SUI → Questura"),
        FormSpec("esito-parere", "Comunicazione del parere", "Questura → SUI"),
        FormSpec("convocazione", "Convocazione", "data, ora, luogo, documenti da portare"),
        FormSpec(
            "richiesta-integrazione",
            "Richiesta di integrazione documentale",
            "documenti mancanti; sospende il termine",
        ),
        FormSpec(
            "preavviso-rigetto",
            "Preavviso di rigetto (art. 10-bis L. 241/1990)",
            "motivi ostativi, 10 giorni per le osservazioni",
        ),
        FormSpec(
            "distinta-trasmissione",
            "Distinta di trasmissione",
            "elenco di pratiche consegnate all'altro ufficio",
            kind="slip",
        ),
        FormSpec(
            "separatore",
            "Foglio separatore",
            "tra i documenti da scansionare: la pratica (e il tipo) in codice a barre",
            kind="separator",
        ),
        FormSpec(
            "scadenzario",
            "Scadenzario",
            "pratiche scadute o in scadenza entro N giorni, per ufficio",
            kind="worklist",
        ),
    )
}


def form_spec(name: str) -> FormSpec:
    spec = FORMS.get(name)
    if spec is None:
        raise NotFound(f"modulo «{name}» sconosciuto; moduli: {', '.join(FORMS)}")
    return spec
