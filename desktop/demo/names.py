"""Words of the demo: Italian names and places, employers' name parts, staff, and what
people write in a dossier's history.
"""

from __future__ import annotations

from models.enums import (
    ARCHIVIATA,
    CONVOCATA,
    DEFINITA_POSITIVA,
    IN_ISTRUTTORIA,
    INTEGRAZIONE_RICHIESTA,
    PARERE_RICHIESTO,
    PREAVVISO_RIGETTO,
    PRESENTATA,
    RIGETTATA,
    OfficeKind,
    Role,
)

# Employers and staff of the Lodi area (fictional names).

# fmt: off
ITALIAN_MALE = ("Giuseppe", "Giovanni", "Luigi", "Angelo", "Carlo", "Franco", "Mario",
                "Paolo", "Stefano", "Massimo", "Roberto", "Davide", "Matteo", "Andrea")
ITALIAN_FEMALE = ("Maria", "Giovanna", "Rosa", "Angela", "Franca", "Luisa", "Anna", "Paola",
                  "Elena", "Chiara", "Silvia", "Laura", "Federica", "Marta")
ITALIAN_SURNAMES = ("Rossi", "Ferrari", "Colombo", "Bianchi", "Brambilla", "Galli", "Bassi",
                    "Fumagalli", "Sala", "Riva", "Cattaneo", "Bonetti", "Bergamaschi",
                    "Cremonesi", "Moroni", "Zanaboni", "Pedrazzini", "Bosoni", "Vailati",
                    "Cerri", "Codazzi", "Granata", "Lunghi", "Sfondrini", "Dossena")
# Belfiore codes of Italian towns where employers were born.
ITALIAN_BIRTHPLACES = (("E648", "Lodi"), ("F205", "Milano"), ("D150", "Cremona"),
                       ("G388", "Pavia"))
LODI_TOWNS = ("Lodi", "Codogno", "Casalpusterlengo", "Sant'Angelo Lodigiano", "Lodi Vecchio",
              "Tavazzano con Villavesco", "Zelo Buon Persico", "Borghetto Lodigiano",
              "Castiglione d'Adda", "Maleo", "Ospedaletto Lodigiano", "Somaglia",
              "Mulazzano", "Massalengo", "San Martino in Strada", "Livraga", "Orio Litta",
              "Guardamiglio", "Brembio", "Montanaso Lombardo", "Crespiatica", "Graffignana")
ROOTS = ("Adda", "Padana", "Lodigiana", "Muzza", "Bassa", "Lombarda", "Barbarossa", "Po",
         "Laus", "Sillaro")
CASCINE = ("Cascina Belvedere", "Cascina Colombara", "Cascina Maiocca", "Cascina San Giacomo",
           "Cascina Mirabello", "Cascina Ronchi", "Cascina Gaita", "Cascina Palazzina",
           "Cascina Costa", "Cascina Grande", "Cascina Muzza", "Cascina Santa Maria",
           "Cascina Pezzolo", "Cascina Bosco", "Cascina Valle")
SAINTS = ("Santa Chiara", "San Bassiano", "Santa Francesca Cabrini", "San Giuseppe",
          "Santa Savina", "San Fereolo", "Sant'Alberto")
VENUES = ("Il Barbarossa", "La Muzza", "Al Portico", "Del Broletto", "La Cascina",
          "Il Tortello", "Alla Torre", "Il Mulino", "La Raspadura")
PEC_DOMAINS = ("pec.it", "legalmail.it", "arubapec.it", "postecert.it")
# ISTAT province codes in the Partita IVA: Lodi 098, Milano 015, Cremona 019, Pavia 018.
VAT_OFFICES = ("098", "098", "098", "098", "015", "015", "019", "018")

DEMO_STAFF: tuple[tuple[str, str, OfficeKind, Role, bool], ...] = (
    ("rossi", "Giulia Rossi", OfficeKind.SUI, Role.SUI_CLERK, False),
    ("ferrari", "Luca Ferrari", OfficeKind.SUI, Role.SUI_CLERK, False),
    ("colombo", "Paola Colombo", OfficeKind.SUI, Role.SUI_CLERK, False),
    ("verdi", "Francesca Verdi", OfficeKind.SUI, Role.HEAD, True),
    ("bianchi", "Marco Bianchi", OfficeKind.QUESTURA, Role.QUESTURA_OFFICER, False),
    ("esposito", "Chiara Esposito", OfficeKind.QUESTURA, Role.QUESTURA_OFFICER, True),
    ("neri", "Alessandro Neri", OfficeKind.QUESTURA, Role.HEAD, True),
)
# fmt: on

# The letterhead a demo office gets where its own is blank, so that demo letters show no «—»
# (``{city}`` and ``{prov}`` are the office's). Fictitious: the domain is esempio.it.
DEMO_LETTERHEAD: dict[OfficeKind, dict[str, str]] = {
    OfficeKind.SUI: {
        "address": "Via della Prefettura 1, {city}",
        "pec": "immigrazione.pref{prov}@pec.esempio.it",
        "signatory": "Francesca Verdi",
        "responsabile": "Francesca Verdi",
    },
    OfficeKind.QUESTURA: {
        "address": "Via della Questura 2, {city}",
        "pec": "immigrazione.quest{prov}@pec.esempio.it",
        "signatory": "Alessandro Neri",
        "responsabile": "Alessandro Neri",
    },
}


# What people write in the history.

# fmt: off
INTEGRAZIONI = ("contratto di soggiorno sottoscritto", "certificato di idoneità alloggiativa",
                "documentazione reddituale del datore di lavoro (modello 730/CU)",
                "copia del passaporto in corso di validità", "ricevuta del contributo",
                "certificato di nascita tradotto e legalizzato", "visura camerale aggiornata",
                "dichiarazione di disponibilità dell'alloggio")
PREAVVISI = ("capacità economica del datore di lavoro non dimostrata",
             "alloggio non idoneo secondo i parametri regionali",
             "parere contrario della Questura", "requisiti reddituali non raggiunti",
             "documentazione incompleta dopo la richiesta di integrazione")
MOTIVI_OSTATIVI = ("segnalazione SIS ai fini della non ammissione",
                   "condanna per reati di cui all'art. 4 c. 3 TUI",
                   "precedenti penali del datore di lavoro (art. 22 c. 5-bis TUI)",
                   "pericolosità sociale accertata")
FINAL_NOTES: dict[str, tuple[str, ...]] = {
    DEFINITA_POSITIVA: ("provvedimento favorevole notificato", "rilascio completato"),
    RIGETTATA: ("provvedimento di rigetto notificato via PEC",),
    ARCHIVIATA: ("rinuncia del richiedente", "domanda inammissibile",
                 "rinuncia del datore di lavoro"),
}
STEP_NOTES: dict[tuple[str | None, str], tuple[str, ...]] = {
    (PRESENTATA, IN_ISTRUTTORIA): ("avvio dell'istruttoria", "pratica assegnata"),
    (IN_ISTRUTTORIA, PARERE_RICHIESTO): ("richiesta di parere sui motivi ostativi",),
    (INTEGRAZIONE_RICHIESTA, IN_ISTRUTTORIA): ("integrazione pervenuta",),
    (PREAVVISO_RIGETTO, IN_ISTRUTTORIA): ("osservazioni accolte",),
    (CONVOCATA, IN_ISTRUTTORIA): ("riconvocazione necessaria",),
    (INTEGRAZIONE_RICHIESTA, ARCHIVIATA): ("mancata integrazione nei termini",),
    (CONVOCATA, ARCHIVIATA): ("mancata presentazione alla convocazione",),
    (PRESENTATA, ARCHIVIATA): ("domanda inammissibile", "rinuncia del richiedente"),
}
TYPE_NOTES: dict[tuple[str, str], str] = {
    ("NO_LAVORO", DEFINITA_POSITIVA): "nulla osta rilasciato",
    ("NO_STAGIONALE", DEFINITA_POSITIVA): "nulla osta rilasciato",
    ("CARTA_BLU", DEFINITA_POSITIVA): "nulla osta rilasciato",
    ("CASI_PARTICOLARI", DEFINITA_POSITIVA): "nulla osta rilasciato",
    ("RICONGIUNGIMENTO", DEFINITA_POSITIVA): "nulla osta al ricongiungimento rilasciato",
    ("CONVERSIONE", DEFINITA_POSITIVA): "conversione accolta",
    ("CITTADINANZA", DEFINITA_POSITIVA): "decreto di concessione della cittadinanza",
    ("TEST_ITALIANO", DEFINITA_POSITIVA): "test superato",
    ("TEST_ITALIANO", RIGETTATA): "test non superato",
    ("ART18", DEFINITA_POSITIVA): "permesso per protezione sociale rilasciato",
    ("ART18TER", DEFINITA_POSITIVA): "permesso per vittime di sfruttamento rilasciato",
    ("TEST_ITALIANO", CONVOCATA): "convocazione alla sessione d'esame",
    ("CITTADINANZA", CONVOCATA): "convocazione per la verifica dei requisiti",
}
CONVOCATION_NOTE = "convocazione per la firma del contratto di soggiorno"

FLAG_TEXTS: dict[str, tuple[str, ...]] = {
    "documenti_mancanti": ("manca la copia del passaporto", "manca il contratto di lavoro",
                           "certificato di idoneità alloggiativa scaduto",
                           "manca la ricevuta del contributo"),
    "verifica_identita": ("generalità diverse tra passaporto e domanda",
                          "da verificare fotosegnalamento e CUI",
                          "data di nascita non corrispondente al codice fiscale"),
    "motivi_ostativi": ("possibile precedente penale da verificare",
                        "omonimia con soggetto segnalato"),
    "altro": ("richiesta di accesso agli atti del richiedente",
              "cambio di indirizzo PEC del datore di lavoro", "sollecito del patronato"),
}
FLAG_SUSPENDS = {"documenti_mancanti": 0.35, "verifica_identita": 0.2,
                 "motivi_ostativi": 0.3, "altro": 0.05}
FLAG_RESOLUTIONS = ("documenti ricevuti", "verificato", "chiarito con l'ufficio", "")
FLAG_CATEGORY_WEIGHTS = {
    OfficeKind.SUI: (("documenti_mancanti", 5.0), ("verifica_identita", 2.0), ("altro", 2.0)),
    OfficeKind.QUESTURA: (("verifica_identita", 4.0), ("motivi_ostativi", 2.0),
                          ("documenti_mancanti", 2.0), ("altro", 1.0)),
}

# fmt: on
OUTCOMES = {DEFINITA_POSITIVA: "positive", RIGETTATA: "rejected", ARCHIVIATA: "archived"}
FATES = ("positive", "rejected", "archived")
# Days spent in a state before the next step, for a procedure with a 60-day term.
DWELL: dict[str, tuple[float, float]] = {
    PRESENTATA: (1, 12),
    IN_ISTRUTTORIA: (4, 28),
    INTEGRAZIONE_RICHIESTA: (6, 30),
    PREAVVISO_RIGETTO: (10, 24),
    CONVOCATA: (7, 35),
}
DEFAULT_DWELL = (3.0, 25.0)
