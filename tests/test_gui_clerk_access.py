"""Issue 14, defect 9: accessible names, contrast, not by colour alone, 150 % scaling."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QHeaderView, QWidget
from pytestqt.qtbot import QtBot

from models.read.table import TableRow
from tests.gui_support import Station, station_with
from tests.test_gui_dossier import new_dossier_dialog, open_window
from ui.accessibility import NAMED
from ui.badges import COLOURS, badge
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]


station = station_with("rossi", "verdi")


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours, from the definition."""

    def luminance(colour: str) -> float:
        channels = []
        for start in (1, 3, 5):
            value = int(colour[start : start + 2], 16) / 255
            linear = value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
            channels.append(linear)
        red, green, blue = channels
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_defect9_the_contrast_oracle_agrees_with_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ef8f00", "#ffffff") < 3  # the amber the issue measured (2.4:1)


@pytest.mark.parametrize("kind", sorted(COLOURS))
def test_defect9_white_text_on_every_badge_meets_wcag_aa(kind: str) -> None:
    assert contrast(COLOURS[kind].name(), "#ffffff") >= 4.5


def row(days_left: int) -> TableRow:
    return TableRow(
        id="x",
        reference="LO-SUI/2026/0000001",
        name="Rossi Mario",
        nationality="ROU",
        type_code="NO_LAVORO",
        state="presentata",
        state_label="Presentata",
        holder="LO-SUI",
        filed_on=date.today(),
        deadline=date.today() + timedelta(days=days_left),
        days_left=days_left,
        clock="runs",
        closed=False,
        open_flags=0,
        restricted=False,
    )


def test_defect9_overdue_and_on_time_differ_by_more_than_colour() -> None:
    late_kind, late = badge(row(-3))
    ok_kind, on_time = badge(row(3))
    assert (late_kind, ok_kind) == ("overdue", "soon")
    assert late.startswith("⚠") and "⚠" not in on_time


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, NAMED) or isinstance(widget, QHeaderView):
            continue  # a table's header is read with its table
        if not widget.isVisibleTo(root):
            continue
        parent = widget.parentWidget()
        inside_combo = False
        while parent is not None and parent is not root:
            inside_combo = inside_combo or isinstance(parent, QComboBox | QAbstractSpinBox)
            parent = parent.parentWidget()
        if not inside_combo and not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_defect9_every_input_list_and_table_has_an_accessible_name(
    qtbot: QtBot, station: Station
) -> None:
    window = MainWindow(station.context("verdi"))
    qtbot.addWidget(window)
    window.show()
    for page in range(window.navigation.count()):
        if window.navigation.item(page).isHidden():
            continue
        window.navigation.setCurrentRow(page)
        assert unnamed(window) == [], window.navigation.item(page).text()
    dialog = new_dossier_dialog(qtbot, station, "rossi")
    assert unnamed(dialog) == []
    dialog.form.set_values({})
    dossier = open_window(qtbot, station, "rossi", station.register())
    qtbot.waitUntil(lambda: dossier.tabs.isEnabled(), timeout=10_000)
    for tab in range(dossier.tabs.count()):
        dossier.tabs.setCurrentIndex(tab)
        assert unnamed(dossier) == [], dossier.tabs.tabText(tab)


@pytest.mark.parametrize("width", [1366, 1920])
def test_defect9_every_column_of_the_list_shows_on_the_screen(
    qtbot: QtBot, station: Station, width: int
) -> None:
    window = MainWindow(station.context("verdi"))
    qtbot.addWidget(window)
    window.resize(width, 768)
    window.show()
    page = window.dossiers
    qtbot.waitUntil(lambda: page.table.viewport().width() > 0, timeout=20_000)
    header = page.table.horizontalHeader()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    right_edge = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in shown)
    assert right_edge <= page.table.viewport().width()  # nothing scrolled off to the right
    assert min(header.sectionSize(c) for c in shown) >= 50
    beside = page.body.orientation() == Qt.Orientation.Horizontal
    assert beside == (width >= 1500)  # the preview goes below the list on a narrow screen
    assert page.preview.isVisible()


SCALED = """
import json, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from tests.gui_support import open_station
from ui.dossier.window import DossierWindow
with open_station(Path(sys.argv[1]), "rossi") as station:
    dossier = station.register(
        surname="Wolde-Giorgis Tekle-Haimanot Abebe-Kebede",
        given_names="Alemayehu Gebre-Medhin Tsegaye Yohannes",
    )
    window = DossierWindow(station.context("rossi"), dossier)
    window.show()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not window.tabs.isEnabled():
        app.processEvents(); time.sleep(0.02)
    for _ in range(20):
        app.processEvents(); time.sleep(0.02)
    room = app.primaryScreen().availableGeometry()
    print(json.dumps({
        "screen": [room.width(), room.height()],
        "window": [window.frameGeometry().width(), window.height()],
        "name": window.header.name.text(),
        "tooltip": window.header.name.toolTip(),
    }))
"""


def test_defect9_the_dossier_window_fits_1366x768_at_150_percent(tmp_path: Path) -> None:
    screens = tmp_path / "screen.json"
    screens.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
                    | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
                ]
            }
        )
    )
    environment = os.environ | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
        "QT_SCALE_FACTOR": "1.5",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCALED, str(tmp_path)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["screen"] == [911, 512]  # 1366×768 at 150 %
    assert seen["window"][0] <= seen["screen"][0] and seen["window"][1] <= seen["screen"][1]
    full = "Wolde-Giorgis Tekle-Haimanot Abebe-Kebede Alemayehu Gebre-Medhin Tsegaye Yohannes"
    assert seen["name"].endswith("…") and seen["tooltip"] == full
