"""Countries of the ISO 3166-1 list by their Italian names: «Romania (ROU)».

The clerk types a nationality as a person says it (*Romania*, *Costa d'Avorio*) or as
the passport prints it (*ROU*); the dossier stores the alpha-3 code.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

from models.text import fold

# Not in ISO 3166-1, but printed on real passports (ICAO Doc 9303).
EXTRA = {"XXK": "Kosovo"}


@lru_cache(maxsize=1)
def italian_names() -> dict[str, str]:
    """alpha-3 code → the country's Italian name (English where no translation exists)."""
    import pycountry  # large tables: loaded only when a country is looked up

    italian: gettext.NullTranslations
    try:
        italian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["it"])
    except OSError:
        italian = gettext.NullTranslations()  # English names rather than none
    names = {c.alpha_3: italian.gettext(c.name) for c in pycountry.countries}
    return names | EXTRA


def country_choice(code: str) -> str:
    """«Romania (ROU)»; an unknown code as it is."""
    name = italian_names().get(code)
    return f"{name} ({code})" if name else code


def country_choices() -> list[str]:
    """Every country as «Name (CODE)», in Italian alphabetical order."""
    return sorted((country_choice(code) for code in italian_names()), key=lambda text: fold(text))


def country_code(text: str) -> str | None:
    """The code of «ROU», «Romania (ROU)» or «romania» (one country only); else None."""
    typed = text.strip()
    if typed.endswith(")") and "(" in typed:
        typed = typed[typed.rindex("(") + 1 : -1].strip()
    names = italian_names()
    if typed.upper() in names:
        return typed.upper()
    wanted = fold(typed)
    found = [code for code, name in names.items() if fold(name) == wanted]
    return found[0] if len(found) == 1 else None
