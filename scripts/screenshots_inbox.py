"""Takes the inbox pictures in docs/screenshots/: *Importazioni* and the documents tab.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_inbox.py

A temporary workstation with 300 demo dossiers and an inbox folder; a good list, a list
with mistakes, three scans and a scan for an unknown protocol go through the inbox
first, and a scanner batch of five pages cut at its two separator sheets; then the
window is opened in Italian as ``rossi``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.screenshots import settle  # noqa: E402

HEADER = (
    "codice_domanda;tipo_pratica;data_presentazione;cognome;nome;sesso;data_nascita;"
    "luogo_nascita;cittadinanza;passaporto;codice_fiscale;datore_denominazione;"
    "datore_codice_fiscale;datore_pec;provincia"
)
GOOD = [
    "ALI-2026-104511;NO_LAVORO;17/11/2026;Țurcanu;Ștefan;M;04/03/1990;Chișinău;MDA;"
    "RA0571234;;Cascina Bassiana srl;00743110157;cascina.bassiana@pec.it;LO",
    "ALI-2026-104512;NO_STAGIONALE;18/11/2026;Müller;Jürgen;M;04/03/1990;München;DEU;"
    "C01X00T47;MLLJGN90C04Z112G;Ortofrutta Lodigiana sas;00743110157;ortofrutta@pec.it;LO",
    "ALI-2026-104513;RICONGIUNGIMENTO;19/11/2026;Nguyễn;Thị Minh;F;12/08/1994;Hà Nội;VNM;"
    "C4481276;;Nguyễn Văn An;;;LO",
]
BAD = [
    "ALI-2026-104601;NO_LAVORO;20/11/2026;El Idrissi;Youssef;M;31/02/1991;Casablanca;MAR;"
    "UZ1234567;;Agricola Sud srl;00743110157;agricola@pec.it;LO",
    "ALI-2026-104602;NO_LAVORO;20/11/2026;Ahmed;Rahim;M;01/01/1988;Dhaka;BGD;"
    "BX0987654;HMDRHM88A01Z249X;Agricola Sud srl;00743110157;agricola@pec.it;MI",
    "ALI-2026-104603;VISTO_STUDIO;20/11/2026;Singh;Gurpreet;M;05/05/1999;Amritsar;IND;"
    "Z7654321;;;;;LO",
]


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n" + b"0" * 180_000


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="raccordo-shots-inbox-"))
    cli = [sys.executable, "-m", "desktop", "--home", str(home)]
    subprocess.run([*cli, "demo", "--dossiers", "300"], check=True, cwd=ROOT)
    inbox = home / "arrivo"
    inbox.mkdir()
    (home / "raccordo.ini").write_text(
        f"[inbox]\ndir = {inbox}\nstable_seconds = 0.5\n", encoding="utf-8"
    )

    from PySide6.QtWidgets import QApplication

    from desktop.config import resolve
    from desktop.wiring import open_database
    from sync.inbox.files import InboxFolders
    from sync.inbox.processor import InboxProcessor
    from sync.inbox.scanner import claim
    from ui.context import ChangeBus, UiContext
    from ui.dossier.window import DossierWindow
    from ui.i18n import install_translations
    from ui.login import load_operator
    from ui.main_window import MainWindow
    from ui.settings import open_settings
    from ui.tasks import TaskManager

    database = open_database(resolve(home=str(home)))
    processor = InboxProcessor(database, "rossi", InboxFolders.at(inbox))
    processor.folders.ensure()
    files = {
        "ALI_export_20261120.csv": "\r\n".join([HEADER, *GOOD]).encode("utf-8"),
        "ALI_export_20261121.csv": "\r\n".join([HEADER, *BAD]).encode("cp1252", "replace"),
        "ALI-2026-104511__passaporto.pdf": pdf("passaporto"),
        "ALI-2026-104511__contratto-di-soggiorno.pdf": pdf("contratto"),
        "ALI-2026-104511__ricevuta-F24.pdf": pdf("f24"),
        "LO-SUI-2026-0099999__permesso.pdf": pdf("ignoto"),
    }
    for name, data in files.items():
        (inbox / name).write_bytes(data)
        claimed = claim(inbox / name, processor.folders.working)
        assert claimed is not None
        processor.process(claimed)
        time.sleep(1.1)  # distinct times in the register

    # A scanner batch: separator sheets between a passport and a contract (issue 16).
    from models.services.lookup import get_dossier
    from tests.scan_helpers import Sheet, page_images, write_pdf

    with database.unit_of_work("rossi") as uow:
        reference = get_dossier(uow, "ALI-2026-104511").reference
    stack = [
        Sheet(separator=reference, kind="passaporto"),
        Sheet("Passaporto MDA RA0571234"),
        Sheet(separator=reference, kind="contratto"),
        Sheet("Contratto di soggiorno Cascina Bassiana"),
        Sheet("Contratto di soggiorno, pagina 2", upside_down=True),
    ]
    write_pdf(inbox / "scansione_0001.pdf", page_images(database, stack))
    claimed = claim(inbox / "scansione_0001.pdf", processor.folders.working)
    assert claimed is not None
    print(processor.process(claimed).summary())

    app = QApplication([])
    translators = install_translations(app, "it")
    operator = load_operator(database, "rossi")
    assert operator is not None
    context = UiContext(
        TaskManager(database), operator, ChangeBus(), open_settings(home), "SQLite", home
    )
    window = MainWindow(context)
    window.resize(1366, 768)
    window.show()
    window.navigation.setCurrentRow([entry[0] for entry in window._entries].index("imports"))
    settle(app, 3)
    page = window.imports
    for row, entry in enumerate(page.entries):
        if entry.file_name == "ALI_export_20261121.csv":
            page.table.selectRow(row)
    settle(app)
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / "importazioni.png"))

    with database.unit_of_work("rossi") as uow:
        dossier_id = get_dossier(uow, "ALI-2026-104511").id.hex
    dossier = DossierWindow(context, dossier_id)
    dossier.resize(1280, 780)
    dossier.show()
    settle(app, 2)
    dossier.tabs.setCurrentWidget(dossier.documents_tab)
    settle(app)
    dossier.grab().save(str(OUT / "documenti.png"))
    dossier.close()
    window.close()
    context.tasks.shutdown()
    del translators
    print("saved: docs/screenshots/importazioni.png, docs/screenshots/documenti.png")


if __name__ == "__main__":
    main()
