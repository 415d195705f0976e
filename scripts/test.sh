#!/usr/bin/env bash
# Installs Raccordo with its test tools into .venv and runs every check CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL: the suite uses the server on 127.0.0.1:5432 when there is one, otherwise
# it starts a throwaway one with initdb/pg_ctl; make sure those exist.
if ! command -v pg_ctl >/dev/null && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
fi

# OCR (issue 16): OCRmyPDF and Tesseract with Italian, so the OCR tests run for real
# rather than skip. Optional: where apt is not there (or not root) those tests skip.
if ! { command -v ocrmypdf >/dev/null && command -v tesseract >/dev/null \
    && tesseract --list-langs 2>/dev/null | grep -qx ita; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq ocrmypdf tesseract-ocr-ita; } >/dev/null 2>&1 \
      || echo "attenzione: OCRmyPDF/Tesseract non installati, i test OCR saltano" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports  # the layers of README "Architettura"
# Two processes (-n 2): each has its own Qt application, its own PostgreSQL template and
# per-test databases and roles with random names (or its own throwaway server), so the
# tests cannot meet. COVERAGE_FLOOR is a measured total rounded down, less a point for the
# optional OCR tests that skip where OCRmyPDF is missing (their code is about half a
# point; the whole suite measured 92.05% on 2026-12-03): raise it when coverage rises,
# never lower it.
COVERAGE_FLOOR=91
QT_QPA_PLATFORM=offscreen .venv/bin/pytest -n 2 --cov --cov-report=term \
  --cov-fail-under="$COVERAGE_FLOOR" "$@"
