"""The connection to the shared server: where it is, opening it, and the checks every
exchange starts with (protocol version, schema revision, clocks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import URL, Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import NullPool

from models.db import SCHEMA_HEAD
from models.errors import DomainError, ValidationError

MAX_CLOCK_SKEW = timedelta(minutes=5)
NOTIFY_CHANNEL = "raccordo_changes"


class SyncRefused(DomainError):
    """The server cannot be used as it is (old client, other schema, wrong clock)."""


@dataclass(frozen=True)
class ConnectionInfo:
    """A server as the workstation knows it: never with a password."""

    user: str
    host: str
    port: int
    database: str

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def address(self) -> str:
        """The server without the person: what a site file may fix for every workstation."""
        return f"postgresql://{self.host}:{self.port}/{self.database}"

    @property
    def keyring_key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def sqlalchemy_url(self) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            host=self.host,
            port=self.port,
            database=self.database,
        )


def with_user(url: str, user: str) -> str:
    """``url`` naming ``user`` (replacing the user, and any password, it named)."""
    scheme, rest = url.strip().split("://", 1)
    return f"{scheme}://{user}@{rest.rsplit('@', 1)[-1]}"


def parse_server_url(url: str) -> tuple[ConnectionInfo, str | None]:
    """``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`` → the info and any password in it."""
    text_url = url.strip()
    if not text_url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        raise ValidationError({"url": "indirizzo del server: postgresql://UTENTE@HOST/DB"})
    try:
        parsed = make_url("postgresql://" + text_url.split("://", 1)[1])
    except Exception:  # the message must not echo the URL: it may hold a password
        raise ValidationError(
            {"url": "indirizzo del server non valido: postgresql://UTENTE@HOST/DB"}
        ) from None
    if not parsed.username or not parsed.host or not parsed.database:
        raise ValidationError(
            {"url": "indirizzo del server incompleto: servono utente, host e database"}
        )
    info = ConnectionInfo(parsed.username, parsed.host, parsed.port or 5432, parsed.database)
    return info, parsed.password if parsed.password else None


def server_engine(info: ConnectionInfo, password: str | None) -> Engine:
    """An engine for the person's login role; the password travels only in connect_args."""
    from sync.server.guards import role_settings

    limits = " ".join(f"-c {name}={value}" for name, value in role_settings().items())
    arguments: dict[str, object] = {
        "connect_timeout": 5,
        "application_name": "raccordo",
        # The server's limits for its roles, kept by this client even where an older
        # server did not set them; TCP keepalives notice a peer that went away.
        "options": f"-c TimeZone=UTC {limits}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }
    if password is not None:
        arguments["password"] = password
    # No pool: a pooled connection whose link stalled would hang its liveness ping, which
    # no deadline watches; a fresh one per exchange costs milliseconds on an office LAN.
    return create_engine(info.sqlalchemy_url(), connect_args=arguments, poolclass=NullPool)


@dataclass(frozen=True)
class ServerInfo:
    revision: str | None
    now: datetime


def check_server(
    connection: Connection, local_now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> ServerInfo:
    """Refuses a server this workstation cannot work with; run at the start of every
    exchange, in the exchange's own transaction."""
    from sync.server.compat import check_compatibility, server_now

    try:
        check_compatibility(connection)
    except DomainError as error:
        raise SyncRefused(str(error)) from None
    try:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except ProgrammingError:  # no schema at all; a dropped connection is not a mismatch
        revision = None
    if revision != SCHEMA_HEAD:
        raise SyncRefused(
            f"lo schema del server è alla revisione {revision or '—'}, questa postazione "
            f"richiede la {SCHEMA_HEAD}: aggiornare "
            + ("Raccordo" if (revision or "") > SCHEMA_HEAD else "il server (raccordo server init)")
        )
    now = server_now(connection)
    skew = abs(now - local_now())
    if skew > MAX_CLOCK_SKEW:
        raise SyncRefused(
            f"l'orologio della postazione differisce da quello del server di "
            f"{int(skew.total_seconds() // 60)} minuti: correggere data e ora"
        )
    return ServerInfo(revision, now)
