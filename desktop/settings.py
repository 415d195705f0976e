"""Workstation settings: the site file set by IT, under the user's own settings.

Both are INI files (``[section] key = value``, keys addressed as ``section.key``). The
site file lives in ``%PROGRAMDATA%\\Raccordo\\raccordo.ini`` on Windows and
``/etc/raccordo/raccordo.ini`` elsewhere (``RACCORDO_SITE_CONFIG`` names another);
the user's in ``<home>/raccordo.ini``. A key the site lists under ``[locked] keys``
keeps the site's value whatever the user's file says, and cannot be set by the user.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from models.errors import DomainError, PermissionDenied, ValidationError
from reports.site import LETTERHEAD_FIELDS, PrintSetup

USER_FILE = "raccordo.ini"

SITE, USER, DEFAULT = "sede", "utente", "predefinito"


@dataclass(frozen=True)
class Key:
    """A setting Raccordo reads: its default, what it means, the values it accepts."""

    name: str
    help: str
    default: str | None = None
    choices: tuple[str, ...] = ()


_FLAG_VALUES = ("1", "0", "true", "false", "yes", "no", "on", "off", "si", "sì")

KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key("server.url", "indirizzo del server condiviso (postgresql://UTENTE@HOST/DB)"),
        Key("server.user", "utente con cui la postazione si collega al server"),
        Key("site.office", "ufficio predefinito della postazione (es. LO-SUI)"),
        Key("inbox.dir", "cartella di arrivo dei file da importare"),
        Key(
            "inbox.polling",
            "controllo periodico invece degli eventi (auto: sì sulle cartelle di rete)",
            "auto",
            ("auto", *_FLAG_VALUES),
        ),
        Key("inbox.stable_seconds", "secondi senza modifiche prima di importare un file", "3"),
        Key("inbox.rescan_seconds", "secondi tra due riletture complete della cartella", "30"),
        Key("inbox.poll_seconds", "secondi tra due controlli periodici", "2"),
        Key("templates.dir", "cartella dei modelli di lettera e dei loghi (<home>/templates)"),
        Key("ui.lang", "lingua dell'interfaccia", None, ("it", "en")),
        Key("log.level", "livello del registro", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
        Key("log.dir", "cartella del registro (<home>/logs)"),
        *(
            Key(
                f"letterhead.{name}", f"intestazione delle lettere dell'ufficio site.office: {name}"
            )
            for name in LETTERHEAD_FIELDS
        ),
        Key("letterhead.logo", "file PNG o JPEG del logo nelle lettere dell'ufficio site.office"),
    )
}


class SettingLocked(PermissionDenied):
    """The site configuration fixes this key."""


def site_file() -> Path:
    explicit = os.environ.get("RACCORDO_SITE_CONFIG")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Raccordo" / USER_FILE
    return Path("/etc/raccordo") / USER_FILE


class SettingsFileError(DomainError):
    """A settings file that cannot be parsed: the message names the file and the line."""


def _read(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    if path.is_file():
        try:
            # utf-8-sig: Notepad and Inno Setup write a byte-order mark.
            parser.read(path, encoding="utf-8-sig")
        except (configparser.Error, UnicodeDecodeError) as error:
            raise SettingsFileError(
                f"il file di impostazioni {path} non è leggibile: {error}"
            ) from None
    return parser


def _flatten(parser: configparser.ConfigParser) -> dict[str, str]:
    return {
        f"{section}.{key}": value
        for section in parser.sections()
        if section != "locked"
        for key, value in parser.items(section)
    }


def _locked_keys(parser: configparser.ConfigParser) -> frozenset[str]:
    raw = parser.get("locked", "keys", fallback="")
    return frozenset(k.strip() for k in raw.replace("\n", ",").split(",") if k.strip())


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, str] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    origins: Mapping[str, str] = field(default_factory=dict)  # key -> SITE or USER

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def effective(self, key: str) -> str | None:
        """The value in force: the files' or, failing them, Raccordo's default."""
        known = KEYS.get(key)
        return self.values.get(key, known.default if known else None)

    def origin(self, key: str) -> str:
        return self.origins.get(key, DEFAULT)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.values.get(key)
        if value is None:
            return default
        return value.strip().lower() in {"1", "true", "yes", "on", "si", "sì"}


def load(home: Path) -> Settings:
    site = _read(site_file())
    locked = _locked_keys(site)
    site_values = _flatten(site)
    user_values = {k: v for k, v in _flatten(_read(home / USER_FILE)).items() if k not in locked}
    origins = {**dict.fromkeys(site_values, SITE), **dict.fromkeys(user_values, USER)}
    return Settings({**site_values, **user_values}, locked, origins)


def check(key: str, value: str) -> str:
    """``value`` as stored for a known ``key``; refuses unknown keys and values."""
    known = KEYS.get(key)
    if known is None:
        raise ValidationError(
            {key: f"impostazione «{key}» sconosciuta; quelle note sono: {', '.join(KEYS)}"}
        )
    if known.choices:
        wanted = value.strip()
        for choice in known.choices:
            if wanted.lower() == choice.lower():
                return choice
        raise ValidationError(
            {key: f"valore «{value}» non ammesso per «{key}»: {', '.join(known.choices)}"}
        )
    return value


def set_user_value(home: Path, key: str, value: str | None) -> None:
    """Write (or with ``None`` remove) one key of the user's file; refuses a locked key.

    Setting a locked key to the value the site already gives it changes nothing and is
    not an error (``raccordo connect`` to the server the site file names).
    """
    current = load(home)
    if key in current.locked and value is not None and current.get(key) == value:
        return
    if key in current.locked:
        raise SettingLocked(
            f"l'impostazione «{key}» è bloccata dalla configurazione di sede "
            f"({site_file()}); può cambiarla solo l'amministratore"
        )
    section, _, name = key.partition(".")
    if not name:
        raise ValueError(f"setting key must be section.name, got {key!r}")
    path = home / USER_FILE
    parser = _read(path)
    if value is None:
        if parser.has_section(section):
            parser.remove_option(section, name)
    else:
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, name, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".ini.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    os.replace(temporary, path)


TEMPLATES_FOLDER = "templates"


def print_setup(home: Path) -> PrintSetup:
    """What the settings change in printed letters: templates folder, letterhead, logo."""
    current = load(home)
    templates = current.get("templates.dir")
    logo = current.get("letterhead.logo")
    found = {name: current.get(f"letterhead.{name}") for name in LETTERHEAD_FIELDS}
    return PrintSetup(
        templates_dir=Path(templates).expanduser() if templates else home / TEMPLATES_FOLDER,
        own_office=current.get("site.office"),
        letterhead={name: value for name, value in found.items() if value is not None},
        logo=Path(logo) if logo else None,
    )
