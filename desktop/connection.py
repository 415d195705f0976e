"""Connecting this workstation to the shared server: settings, keyring, replica.

The password lives in the operating system's keyring (service ``Raccordo``, key
``user@host:port/db``) and nowhere else. On a machine without a usable keyring backend
nothing is stored: the password is asked for each time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from desktop.config import REPLICA_FILE
from desktop.settings import SettingLocked, load, set_user_value
from models.db import make_engine
from models.errors import DomainError, NotFound
from models.sync_tables import OutboxEntry
from models.uow import Database
from sync.link import ConnectionInfo, check_server, parse_server_url, server_engine, with_user
from sync.outbox import install as install_outbox

if TYPE_CHECKING:
    from sync.download import Downloaded

SERVICE = "Raccordo"
NO_KEYRING = (
    "nessun portachiavi del sistema disponibile su questa postazione: la password non "
    "viene salvata e sarà chiesta a ogni sincronizzazione"
)

__all__ = [
    "NO_KEYRING",
    "ConnectionInfo",
    "connect",
    "disconnect",
    "keyring_available",
    "load_connection",
    "open_replica",
    "password_for",
    "refresh_replica",
]


class ConnectionFailed(DomainError):
    """The server could not be reached or refused the login (message without secrets)."""


def keyring_available() -> bool:
    """False for keyring's fail backend and for a chainer with no backend behind it."""
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    return True


def replica_path(home: Path) -> Path:
    return home / REPLICA_FILE


def load_connection(home: Path) -> ConnectionInfo | None:
    """The server this workstation is connected to; None in the embedded mode."""
    settings = load(home)
    url, user = settings.get("server.url"), settings.get("server.user")
    if not url or not user:
        return None
    info, _ = parse_server_url(with_user(url, user))
    return info


def password_for(info: ConnectionInfo) -> str | None:
    """The saved password; None when there is none or no keyring to hold it."""
    if not keyring_available():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, info.keyring_key)
    except KeyringError:
        return None


def _store_password(info: ConnectionInfo, password: str | None) -> bool:
    if password is None or not keyring_available():
        return False
    import keyring

    keyring.set_password(SERVICE, info.keyring_key, password)
    return True


def _forget_password(info: ConnectionInfo) -> None:
    if not keyring_available():
        return
    import keyring
    from keyring.errors import PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError):
        keyring.delete_password(SERVICE, info.keyring_key)


def _check(info: ConnectionInfo, password: str | None) -> None:
    engine = server_engine(info, password)
    try:
        with engine.connect() as connection:
            check_server(connection)
            active = connection.execute(
                text("SELECT active FROM staff WHERE username = :name AND deleted_at IS NULL"),
                {"name": info.user},
            ).scalar()
    except DBAPIError as error:
        raise ConnectionFailed(_describe(error, info)) from None
    finally:
        engine.dispose()
    if active is None:
        raise NotFound(f"l'utente «{info.user}» non è registrato sul server")
    if not active:
        raise ConnectionFailed(f"l'utente «{info.user}» è disattivato sul server")


def _describe(error: DBAPIError, info: ConnectionInfo) -> str:
    detail = str(getattr(error, "orig", "") or "").strip().splitlines()
    reason = detail[-1] if detail else type(error).__name__
    return f"collegamento a {info.host}:{info.port}/{info.database} non riuscito: {reason}"


def queued_changes(home: Path) -> list[str]:
    """What the replica has not pushed yet, one line per change (for a refusal)."""
    path = replica_path(home)
    if not path.exists():
        return []
    engine = make_engine(str(path))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(
                    OutboxEntry.table_name,
                    OutboxEntry.row_id,
                    OutboxEntry.action,
                    func.count(),
                )
                .group_by(OutboxEntry.mutation_id, OutboxEntry.table_name, OutboxEntry.row_id)
                .order_by(func.min(OutboxEntry.seq))
            ).all()
    except DBAPIError:
        return []
    finally:
        engine.dispose()
    return [f"{table} {row_id} ({action})" for table, row_id, action, _n in rows]


def _refuse_if_queued(home: Path, discard_local: bool) -> None:
    waiting = queued_changes(home)
    if waiting and not discard_local:
        raise DomainError(
            f"la copia locale ha {len(waiting)} modifiche non ancora inviate al server: "
            "sincronizzare prima (raccordo sync) o usare --discard-local per scartarle"
        )


def site_server(home: Path) -> str | None:
    """The server address the site file fixes, if it fixes one."""
    settings = load(home)
    return settings.get("server.url") if "server.url" in settings.locked else None


def _refuse_other_server(home: Path, info: ConnectionInfo) -> None:
    fixed = site_server(home)
    if fixed is None:
        return
    site_info, _ = parse_server_url(with_user(fixed, info.user))
    if site_info.address != info.address:
        raise SettingLocked(
            f"la configurazione di sede fissa il server {site_info.address}: "
            f"questa postazione non può collegarsi a {info.address}"
        )


def connect(
    home: Path,
    url: str,
    password: str | None,
    *,
    discard_local: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> ConnectionInfo:
    """Checks the server, saves the connection (password in the keyring only) and
    downloads a fresh replica."""
    info, in_url = parse_server_url(url)
    password = password if password is not None else in_url
    _refuse_if_queued(home, discard_local)
    _refuse_other_server(home, info)
    _check(info, password)
    _store_password(info, password)
    set_user_value(home, "server.url", info.address)
    set_user_value(home, "server.user", info.user)
    refresh_replica(home, info, password, discard_local=True, progress=progress)
    return info


def refresh_replica(
    home: Path,
    info: ConnectionInfo,
    password: str | None,
    *,
    discard_local: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> Downloaded:
    """Re-downloads the replica; refuses while it holds unpushed changes."""
    _refuse_if_queued(home, discard_local)
    engine = server_engine(info, password)
    try:
        from sync.download import download  # the replica's first copy: only when connecting

        return download(info, engine, replica_path(home), progress=progress)
    except DBAPIError as error:
        raise ConnectionFailed(_describe(error, info)) from None
    finally:
        engine.dispose()


def disconnect(home: Path, *, discard_local: bool = False) -> ConnectionInfo | None:
    """Back to the embedded mode: settings, keyring entry and replica removed."""
    info = load_connection(home)
    _refuse_if_queued(home, discard_local)
    if info is not None:
        _forget_password(info)
    if site_server(home) is None:  # a server fixed by the site stays for the next person
        set_user_value(home, "server.url", None)
    set_user_value(home, "server.user", None)
    from sync.download import remove_replica_files

    remove_replica_files(replica_path(home))
    return info


def open_replica(home: Path, today: Callable[[], date] = date.today) -> Database:
    path = replica_path(home)
    if not path.exists():
        raise DomainError(
            "la postazione è collegata al server ma manca la copia locale: "
            "raccordo connect --refresh"
        )
    return Database(make_engine(str(path)), today, role="replica", outbox=install_outbox)
