"""The Qt binding survives a working day of timer ticks and signals.

PySide6 6.12.0 on Python 3.11 miscounts references to None/True/False on each slot call
and aborts the process ("deallocating None") after a few thousand: pyproject pins below.
"""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
app = QCoreApplication([])
class Source(QObject):
    ping = Signal(object)
source, count = Source(), [0]
timer = QTimer(singleShot=True, interval=0)
def tick(*_args):
    count[0] += 1
    if count[0] >= 60000:
        app.quit()
    elif count[0] % 3 == 0:
        timer.start()
    elif count[0] % 3 == 1:
        source.ping.emit(count)
    else:
        QTimer.singleShot(0, tick)
timer.timeout.connect(tick)
source.ping.connect(tick, Qt.ConnectionType.QueuedConnection)
timer.start()
app.exec()
print(count[0])
"""


def test_sixty_thousand_slot_calls_do_not_abort() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "60000"
