"""Whether this workstation can make scans searchable: OCRmyPDF and Tesseract with Italian.

Both are optional programs installed beside Raccordo (the administrator's guide says how,
on Windows and Debian); without them every other part of the inbox works.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

LANGUAGE = "ita"  # Tesseract's name for Italian
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class OcrTools:
    ocrmypdf: str | None  # the program's path, or None when missing
    ocrmypdf_version: str
    tesseract: str | None
    tesseract_version: str
    languages: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return bool(self.ocrmypdf and self.tesseract and LANGUAGE in self.languages)

    def describe(self) -> str:
        """One Italian line for ``raccordo config check``."""
        if self.ready:
            return (
                f"OCRmyPDF {self.ocrmypdf_version}, Tesseract {self.tesseract_version} con "
                "l'italiano"
            )
        missing = []
        if not self.ocrmypdf:
            missing.append("OCRmyPDF")
        if not self.tesseract:
            missing.append("Tesseract")
        elif LANGUAGE not in self.languages:
            shown = ", ".join(self.languages) or "nessuna"
            missing.append(f"la lingua italiana di Tesseract (installate: {shown})")
        return (
            f"manca {' e '.join(missing)}, che serve al testo ricercabile dei documenti "
            "scansionati; tutto il resto funziona (vedi la guida dell'amministratore)"
        )


def _run(*argv: str) -> str:
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
    )
    return (done.stdout or "") + (done.stderr or "")


def find_ocr_tools() -> OcrTools:
    """Looks for the programs on the PATH and asks Tesseract which languages it has."""
    ocrmypdf, tesseract = shutil.which("ocrmypdf"), shutil.which("tesseract")
    ocr_version = tess_version = ""
    languages: tuple[str, ...] = ()
    if ocrmypdf:
        try:
            ocr_version = _run(ocrmypdf, "--version").strip().splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            ocrmypdf = None
    if tesseract:
        try:
            first = _run(tesseract, "--version").strip().splitlines()
            tess_version = first[0].removeprefix("tesseract ").strip() if first else ""
            listed = _run(tesseract, "--list-langs").splitlines()
            heading = next(
                (n for n, line in enumerate(listed) if line.startswith("List of available")), -1
            )
            languages = tuple(
                sorted(line.strip() for line in listed[heading + 1 :] if line.strip())
            )
        except (OSError, subprocess.SubprocessError):
            tesseract = None
    return OcrTools(ocrmypdf, ocr_version, tesseract, tess_version, languages)
