"""Site configuration set by IT, the user's own settings, and what they change."""

from __future__ import annotations

import configparser
import json
from datetime import date
from pathlib import Path

import pytest

from desktop import settings
from tests.test_cli import Cli, add_worker
from tests.test_forms import pdf_text


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "site" / "raccordo.ini"
    path.parent.mkdir()
    monkeypatch.setenv("RACCORDO_SITE_CONFIG", str(path))
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def write_site(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def shown(cli: Cli) -> dict[str, dict[str, object]]:
    code, out, err = cli("config", "show", "--json")
    assert code == 0, err
    return {row["key"]: row for row in json.loads(out)["settings"]}


def test_show_tells_value_origin_and_lock(
    site: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(
        site,
        "[server]\nurl = postgresql://sportello@db.prefettura.local/raccordo\n"
        "[site]\noffice = LO-SUI\n[locked]\nkeys = server.url\n",
    )
    cli = Cli(home, capsys)
    assert cli("config", "set", "site.office", "LO-QUESTURA")[0] == 0
    rows = shown(cli)
    assert rows["server.url"] == {
        "key": "server.url",
        "value": "postgresql://sportello@db.prefettura.local/raccordo",
        "origin": "sede",
        "locked": True,
        "known": True,
    }
    assert rows["site.office"]["value"] == "LO-QUESTURA"
    assert rows["site.office"]["origin"] == "utente"
    assert rows["log.level"]["value"] == "INFO"
    assert rows["log.level"]["origin"] == "predefinito"
    code, out, _ = cli("config", "show")
    assert code == 0 and str(site) in out and "sede" in out


def test_a_locked_key_cannot_be_set_or_unset_by_the_user(
    site: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(site, "[inbox]\ndir = //server/arrivi\n[locked]\nkeys = inbox.dir, ui.lang\n")
    cli = Cli(home, capsys)
    for args in (("set", "inbox.dir", "/tmp/mia"), ("unset", "inbox.dir")):
        code, _, err = cli("config", *args)
        assert code == 1
        assert "«inbox.dir» è bloccata dalla configurazione di sede" in err
    assert not (home / settings.USER_FILE).exists()
    # A user file written by hand does not win over the lock either.
    (home / settings.USER_FILE).write_text("[inbox]\ndir = /tmp/mia\n", encoding="utf-8")
    assert settings.load(home).get("inbox.dir") == "//server/arrivi"


def test_unset_falls_back_to_the_site_value(
    site: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(site, "[log]\nlevel = WARNING\n")
    cli = Cli(home, capsys)
    assert cli("config", "set", "log.level", "debug")[0] == 0
    assert shown(cli)["log.level"]["value"] == "DEBUG"
    code, _, err = cli("config", "unset", "log.level")
    assert code == 0 and "WARNING" in err
    assert shown(cli)["log.level"]["origin"] == "sede"


def test_unknown_keys_and_values_are_refused(
    site: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(home, capsys)
    code, _, err = cli("config", "set", "server.ulr", "x")
    assert code == 1 and "«server.ulr» sconosciuta" in err and "server.url" in err
    code, _, err = cli("config", "set", "ui.lang", "fr")
    assert code == 1 and "it, en" in err
    assert not (home / settings.USER_FILE).exists()


def test_site_letterhead_and_templates_folder_change_the_printed_letter(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "modelli"
    templates.mkdir()
    (templates / "ricevuta.txt").write_text(
        "Si riceve la domanda {protocollo}. Testo della Prefettura di prova.\n", encoding="utf-8"
    )
    write_site(
        site,
        f"[site]\noffice = LO-SUI\n[templates]\ndir = {templates}\n"
        "[letterhead]\naddress = Corso Vittorio Emanuele II 15, 26900 Lodi\n"
        "signatory = Dott.ssa Anna Ferri\n",
    )
    cli = Cli(tmp_path / "home", capsys)
    assert cli("init")[0] == 0
    assert cli("user", "add", "rossi", "--office", "LO-SUI", "--role", "sui_clerk")[0] == 0
    ref = add_worker(cli, date.today())
    out_pdf = tmp_path / "ricevuta.pdf"
    code, _, err = cli("print", "ricevuta", "--dossier", ref, "-o", str(out_pdf), user="rossi")
    assert code == 0, err
    text = pdf_text(out_pdf.read_bytes())
    assert "Corso Vittorio Emanuele II 15, 26900 Lodi" in text
    assert "Dott.ssa Anna Ferri" in text
    assert "Testo della Prefettura di prova." in text


def test_the_example_site_file_names_only_real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).parents[1] / "installers" / "raccordo.ini.example"
    # The commented-out keys are documentation too: read them as if they were set.
    text = example.read_text(encoding="utf-8")
    uncommented = "\n".join(
        line[1:] if line.startswith(";") and "=" in line and not line.startswith("; ") else line
        for line in text.splitlines()
    )
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(uncommented)
    keys = {f"{s}.{k}" for s in parser.sections() if s != "locked" for k in parser[s]}
    assert keys == set(settings.KEYS)  # every key Raccordo reads is documented there
    locked = parser.get("locked", "keys")
    assert {key.strip() for key in locked.split(",")} <= set(settings.KEYS)
    for key in keys:
        value = parser.get(*key.split(".", 1))
        assert settings.check(key, value)


def test_new_users_get_the_site_office_by_default(
    site: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(home, capsys)
    assert cli("init")[0] == 0
    code, _, err = cli("user", "add", "rossi", "--role", "sui_clerk")
    assert code == 1 and "--office" in err
    write_site(site, "[site]\noffice = LO-QUESTURA\n")
    assert cli("user", "add", "bianchi", "--role", "questura_officer")[0] == 0
    users = cli.json("user", "list")
    assert isinstance(users, list)
    assert [u["office"] for u in users if u["username"] == "bianchi"] == ["LO-QUESTURA"]


def test_setting_a_locked_key_to_the_site_value_is_not_an_error(site: Path, home: Path) -> None:
    write_site(site, "[server]\nurl = postgresql://db/raccordo\n[locked]\nkeys = server.url\n")
    settings.set_user_value(home, "server.url", "postgresql://db/raccordo")
    with pytest.raises(settings.SettingLocked):
        settings.set_user_value(home, "server.url", "postgresql://altro/raccordo")
    assert settings.load(home).origin("server.url") == "sede"


def test_a_site_file_saved_with_a_byte_order_mark_is_read(site: Path, home: Path) -> None:
    site.write_bytes("\ufeff; scritto dal Blocco note\n[site]\noffice = LO-SUI\n".encode())
    assert settings.load(home).get("site.office") == "LO-SUI"


def test_a_broken_site_file_is_named_in_the_error(
    site: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(site, "office = LO-SUI\n")  # no [section]
    code, _, err = Cli(home, capsys)("config", "show")
    assert code == 1 and f"il file di impostazioni {site} non è leggibile" in err
