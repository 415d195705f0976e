"""The period the *Statistiche* page starts from: the last full month or quarter.

A head reads figures of closed periods; a period that is still running compares a part
of a month with a whole one.
"""

from __future__ import annotations

from datetime import date, timedelta


def last_full_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def last_full_quarter(today: date) -> tuple[date, date]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = date(today.year, first_month, 1) - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end
