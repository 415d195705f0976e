#!/usr/bin/env bash
# Build the Linux bundle of Raccordo and smoke-test it; any failure exits non-zero.
#
#   bash installers/linux/build.sh
#
# PYTHON            the Python with Raccordo installed (default: .venv/bin/python); PyInstaller
#                   is installed into it when missing
# RACCORDO_BUILD_DIR where work files, the bundle and the archive go (default: build/linux)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=${PYTHON:-$REPO/.venv/bin/python}
BUILD=${RACCORDO_BUILD_DIR:-$REPO/build/linux}
DIST=$BUILD/dist
BUNDLE=$DIST/raccordo
VERSION=$("$PY" -c 'from desktop import __version__; print(__version__)')
ARCHIVE=$BUILD/raccordo-$VERSION-linux-$(uname -m).tar.gz
cd "$REPO"

step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }
fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }
started=$SECONDS

step "PyInstaller"
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install -q "pyinstaller>=6.10"
"$PY" installers/icon/make_icon.py
nice -n 10 "$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$DIST" --workpath "$BUILD/work" installers/raccordo.spec
built=$SECONDS

step "desktop entry and icon"
install -D -m 644 installers/linux/raccordo.desktop "$BUNDLE/share/applications/raccordo.desktop"
install -D -m 644 installers/icon/raccordo.png "$BUNDLE/share/icons/hicolor/256x256/apps/raccordo.png"
install -D -m 644 installers/icon/raccordo.svg "$BUNDLE/share/icons/hicolor/scalable/apps/raccordo.svg"
install -D -m 755 installers/linux/install.sh "$BUNDLE/install.sh"
install -D -m 644 installers/raccordo.ini.example "$BUNDLE/raccordo.ini.example"

step "smoke test"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export RACCORDO_SITE_CONFIG=$TMP/site/raccordo.ini
mkdir -p "$TMP/site"
printf '[site]\noffice = LO-SUI\n[letterhead]\nsignatory = Prova di sede\n[locked]\nkeys = site.office\n' \
    >"$RACCORDO_SITE_CONFIG"
unset RACCORDO_DB RACCORDO_USER RACCORDO_HOME
R=("$BUNDLE/raccordo" --home "$TMP/home")
check() { local what=$1; shift; "$@" >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/out" "$TMP/err" >&2; fail "$what"; }; }

check "--version" "$BUNDLE/raccordo" --version
grep -qx "raccordo $VERSION" "$TMP/out" || fail "raccordo --version: $(cat "$TMP/out")"
check "raccordo-gui --version" "$BUNDLE/raccordo-gui" --version
grep -q "$VERSION" "$TMP/out" || fail "raccordo-gui --version: $(cat "$TMP/out")"
check "config check" "${R[@]}" config check
cat "$TMP/out"
check "init" "${R[@]}" init
check "demo" "${R[@]}" demo --dossiers 300
check "dossier add" "${R[@]}" --user rossi dossier add --type NO_LAVORO --surname Țurcanu \
    --given-names Ștefan --birth-date 1990-03-04 --nationality ROU --sex M \
    --fiscal-code TRCSTF90C04Z129A --employer "Cascina Bassiana srl" \
    --employer-fiscal-code 00743110157 --quota-assigned-on "$(date +%F)"
REF=$(tr -d '[:space:]' <"$TMP/out")
check "dossier list" "${R[@]}" --user rossi dossier list --search turcanu --json
grep -q "$REF" "$TMP/out" || fail "dossier list does not find $REF"
check "print" "${R[@]}" --user rossi print ricevuta --dossier "$REF" -o "$TMP/ricevuta.pdf"
head -c 5 "$TMP/ricevuta.pdf" | grep -q '%PDF-' || fail "ricevuta.pdf is not a PDF"
check "report timing --json" "${R[@]}" --user verdi report timing \
    --from "$(date +%Y)-01-01" --to "$(date +%F)" --json
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d, "empty report"' "$TMP/out" \
    || fail "report timing --json"
check "report timing PDF and XLSX" "${R[@]}" --user verdi report timing \
    --from "$(date +%Y)-01-01" --to "$(date +%F)" -o "$TMP/stats.pdf" --xlsx "$TMP/stats.xlsx"
check "backup" "${R[@]}" backup "$TMP/copia.sqlite3"
check "restore" "${R[@]}" restore "$TMP/copia.sqlite3"
check "config show" "${R[@]}" config show --json
grep -q '"origin": "sede"' "$TMP/out" || fail "the site file was not read"
check "gui --screenshot" env QT_QPA_PLATFORM=offscreen "${R[@]}" gui --lang it \
    --screenshot "$TMP/window.png"
cat "$TMP/out"
"$PY" - "$TMP/window.png" <<'PY' || fail "the screenshot is missing or blank"
import sys
from PIL import Image

image = Image.open(sys.argv[1]).convert("RGB")
colours = image.getcolors(maxcolors=1 << 20) or []
assert image.width >= 400 and image.height >= 300, image.size
assert len(colours) > 50, f"{len(colours)} colours"
print(f"screenshot {image.width}x{image.height}, {len(colours)} colours")
PY
grep -q "command: gui" "$TMP/home/logs/raccordo.log" || fail "no log written"
if grep -q "Țurcanu\|TRCSTF90C04Z129A" "$TMP/home/logs/raccordo.log"; then
    fail "personal data in the log"
fi
tested=$SECONDS

step "archive"
tar -C "$DIST" -czf "$ARCHIVE" raccordo
echo "bundle:  $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
echo "archive: $ARCHIVE ($(du -sh "$ARCHIVE" | cut -f1))"
echo "times:   build $((built - started)) s, smoke test $((tested - built)) s, total $((SECONDS - started)) s"
