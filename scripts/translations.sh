#!/usr/bin/env bash
# Collects the interface strings into ui/translations/raccordo_it.ts (keeping existing
# translations) and compiles it to raccordo_it.qm. Translate with Qt Linguist:
#   .venv/bin/pyside6-linguist ui/translations/raccordo_it.ts
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pyside6-lupdate -no-obsolete -locations none -tr-function-alias tr+=_tr,tr+=_trn \
    ui/*.py ui/*/*.py -ts ui/translations/raccordo_it.ts
.venv/bin/pyside6-lrelease ui/translations/raccordo_it.ts -qm ui/translations/raccordo_it.qm
