"""People on the server: a login role and a staff row with the same name.

The password never appears in a statement's text in clear: the client hashes it with
SCRAM-SHA-256 (libpq's PQencryptPasswordConn) and the server stores only the verifier.
Errors are reported without the statement that failed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from models.errors import DomainError, NotFound, ValidationError
from models.offices import Office, Staff
from models.staff_rules import check_role_office, parse_role
from sync.server.guards import limit_role
from sync.server.install import stored_prefix
from sync.server.names import ServerRoles, check_username
from sync.server.policies import ident


@dataclass(frozen=True)
class NewUser:
    username: str
    groups: tuple[str, ...]
    password: str | None  # generated: to show once; None when the administrator chose it


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def _roles(connection: Connection) -> ServerRoles:
    prefix = stored_prefix(connection)
    if prefix is None:
        raise DomainError(
            "questo database non è un server Raccordo: eseguire «raccordo server init»"
        )
    return ServerRoles(prefix)


def _verifier(connection: Connection, username: str, password: str) -> str:
    if not password or "\n" in password or len(password) < 8:
        raise ValidationError({"password": "la password deve avere almeno 8 caratteri"})
    pgconn = connection.connection.driver_connection.pgconn  # type: ignore[union-attr]
    hashed: bytes = pgconn.encrypt_password(
        password.encode("utf-8"), username.encode("utf-8"), b"scram-sha-256"
    )
    return hashed.decode("ascii")


def _set_password(connection: Connection, username: str, password: str) -> None:
    verifier = _verifier(connection, username, password)
    statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(check_username(username)), sql.Literal(verifier)
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
    except psycopg.Error as error:  # the statement holds the verifier: never shown
        raise DomainError(f"password non impostata: {_primary(error)}") from None
    finally:
        cursor.close()


def ident_user(username: str) -> str:
    return '"' + check_username(username) + '"'


def _role_exists(connection: Connection, username: str) -> bool:
    return bool(
        connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": username}
        ).scalar()
    )


def add_user(
    engine: Engine,
    username: str,
    office_code: str,
    role: str,
    restricted_access: bool,
    full_name: str = "",
    password: str | None = None,
) -> NewUser:
    name = check_username(username)
    staff_role = parse_role(role)
    generated = password is None
    secret = generate_password() if password is None else password
    try:
        with engine.begin() as connection:
            roles = _roles(connection)
            session = Session(bind=connection)
            office = session.scalar(
                select(Office).where(Office.code == office_code.strip().upper())
            )
            if office is None:
                codes = ", ".join(session.scalars(select(Office.code).order_by(Office.code)))
                raise ValidationError({"office": f"ufficio «{office_code}» sconosciuto: {codes}"})
            check_role_office(staff_role, office.kind, office.code)
            if session.scalar(select(Staff.id).where(Staff.username == name)) is not None:
                raise ValidationError({"username": f"l'utente {name} esiste già"})
            if _role_exists(connection, name):
                raise ValidationError({"username": f"esiste già un ruolo PostgreSQL «{name}»"})
            groups = [roles.user, roles.office_group(office.kind)]
            if (extra := roles.role_group(staff_role.value)) is not None:
                groups.append(extra)
            if restricted_access:
                groups.append(roles.restricted)
            connection.execute(
                text(
                    f"CREATE ROLE {ident_user(name)} LOGIN IN ROLE {', '.join(map(ident, groups))}"
                )
            )
            _set_password(connection, name, secret)
            limit_role(connection, name)
            session.add(
                Staff(
                    username=name,
                    full_name=full_name,
                    office_id=office.id,
                    role=staff_role.value,
                    restricted_access=restricted_access,
                )
            )
            session.flush()
    except DBAPIError as error:
        raise DomainError(f"utente non creato: {_primary(error)}") from None
    return NewUser(name, tuple(groups), secret if generated else None)


def set_password(engine: Engine, username: str, password: str | None = None) -> str | None:
    """Returns the generated password (to show once), or None when one was given."""
    name = check_username(username)
    secret = generate_password() if password is None else password
    try:
        with engine.begin() as connection:
            _roles(connection)
            _require_staff_role(connection, name)
            _set_password(connection, name, secret)
    except DBAPIError as error:
        raise DomainError(f"password non cambiata: {_primary(error)}") from None
    return secret if password is None else None


def disable_user(engine: Engine, username: str) -> int:
    """NOLOGIN, staff.active false, open sessions ended; returns how many were ended."""
    name = check_username(username)
    try:
        with engine.begin() as connection:
            _roles(connection)
            _require_staff_role(connection, name)
            connection.execute(text(f"ALTER ROLE {ident_user(name)} NOLOGIN"))
            connection.execute(update(Staff).where(Staff.username == name).values(active=False))
            ended = connection.execute(
                text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE usename = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            ).scalar_one()
    except DBAPIError as error:
        raise DomainError(f"utente non disattivato: {_primary(error)}") from None
    return int(ended)


def _require_staff_role(connection: Connection, name: str) -> None:
    staff = connection.execute(select(Staff.id).where(Staff.username == name)).scalar()
    if staff is None or not _role_exists(connection, name):
        raise NotFound(f"utente «{name}» sconosciuto su questo server")


def _primary(error: DBAPIError | psycopg.Error) -> str:
    original = error.orig if isinstance(error, DBAPIError) else error
    diag = getattr(original, "diag", None)
    return str(getattr(diag, "message_primary", None) or "errore del server")
