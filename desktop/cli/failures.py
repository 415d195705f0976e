"""What the command line says when a command fails for a reason no rule foresaw.

Every error reaches the person as one line in Italian; the traceback goes to the log
file only. Known kinds (a database that cannot be opened or reached, a server role
without the right, a file that cannot be written, a number out of range) get a message
that says what to do; anything else a generic one that points at the log.
"""

from __future__ import annotations

import errno
import re

from models.bounds import shown

_FIRST_LINE = re.compile(r"[^\n]*")
_UNREACHABLE = (
    ("connection refused", "connessione rifiutata"),
    ("timeout expired", "tempo scaduto"),
    ("timed out", "tempo scaduto"),
    ("could not translate host name", "nome del server sconosciuto"),
    ("name or service not known", "nome del server sconosciuto"),
    ("no route to host", "rete irraggiungibile"),
    ("network is unreachable", "rete irraggiungibile"),
)
_REFUSED_LOGIN = (
    "password authentication failed",
    "no password supplied",
    "pg_hba.conf",
)
_UNKNOWN_ROLE = re.compile(r'role "[^"]*" (does not exist|is not permitted to log in)')
_SQLITE_CANNOT_OPEN = ("unable to open database file", "file is not a database")


LONGEST_LINE = 600
PATH_CHARACTERS = 200


def one_line(message: str) -> str:
    """A message on one line, of a readable length: line breaks and other control
    characters become spaces, and a value pasted by mistake is cut short."""
    text = re.sub(r" {2,}", " ", "".join(ch if ch.isprintable() else " " for ch in message))
    text = text.strip()
    return text if len(text) <= LONGEST_LINE else text[: LONGEST_LINE - 1] + "…"


def _driver_detail(error: BaseException) -> str:
    """The first line of the database driver's own message, with any password masked."""
    from desktop.logging_setup import redact

    original = getattr(error, "orig", None) or error
    match = _FIRST_LINE.match(str(original).strip())
    line = match.group(0) if match else ""
    line = line.rsplit(" failed: ", 1)[-1]  # psycopg: "connection to server at … failed: "
    return shown(redact(line))


def _database_message(error: BaseException) -> str | None:
    from sqlalchemy import exc

    if isinstance(error, exc.PendingRollbackError):
        return (
            "la connessione al database si è interrotta a metà di un'operazione, che non "
            "è stata salvata: ripetere il comando"
        )
    if isinstance(error, exc.NoSuchModuleError | exc.ArgumentError):
        return "indirizzo del database non supportato: un file SQLite o postgresql://…"
    if not isinstance(error, exc.DBAPIError):
        return None
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    text = str(error.orig)
    if sqlstate == "42501":  # insufficient_privilege
        return (
            "il server ha rifiutato l'operazione: il ruolo di accesso non ne ha il "
            "permesso (si lavora dalla postazione collegata con raccordo connect, i "
            "comandi di amministrazione con l'utente amministratore)"
        )
    lowered = text.lower()
    if (
        sqlstate.startswith("28")
        or any(phrase in lowered for phrase in _REFUSED_LOGIN)
        or _UNKNOWN_ROLE.search(lowered)
    ):
        return "accesso al server rifiutato: utente o password non validi"
    if sqlstate.startswith("3D") or re.search(r'database "[^"]*" does not exist', lowered):
        return "il database indicato non esiste sul server"
    if any(phrase in text for phrase in _SQLITE_CANNOT_OPEN):
        return (
            "impossibile aprire il file del database (--db): deve essere un file SQLite "
            "leggibile e scrivibile, non una cartella"
        )
    if "database is locked" in text:
        return "il database è occupato da un altro programma: riprovare tra poco"
    if isinstance(error, exc.OperationalError) or error.connection_invalidated:
        reason = next((why for phrase, why in _UNREACHABLE if phrase in lowered), None)
        if reason is not None:
            return f"server del database non raggiungibile ({reason}): controllare indirizzo e rete"
        return (
            "connessione al database interrotta "
            f"({_driver_detail(error)}): controllare la rete e il server, poi riprovare"
        )
    return f"il database ha rifiutato l'operazione ({_driver_detail(error)})"


def _file_message(error: OSError) -> str:
    where = f" {shown(error.filename, PATH_CHARACTERS)}" if error.filename is not None else ""
    if isinstance(error, FileNotFoundError):
        return f"file o cartella inesistente:{where} (la cartella va creata prima)"
    if isinstance(error, PermissionError):
        return f"permesso negato:{where} (scegliere una cartella scrivibile)"
    if isinstance(error, NotADirectoryError):
        return f"percorso non valido:{where} (una parte del percorso è un file)"
    if isinstance(error, IsADirectoryError):
        return f"{where.strip()} è una cartella: indicare un file"
    if error.errno == errno.ENAMETOOLONG:
        return f"nome di file troppo lungo:{where}"
    if error.errno == errno.ENOSPC:
        return f"disco pieno:{where}"
    if error.errno == errno.EROFS:
        return f"disco di sola lettura:{where}"
    return f"errore del sistema su{where or ' un file'}: {shown(error.strerror or error)}"


def describe(error: BaseException, log_file: str | None = None) -> str:
    """One Italian line for an error the command did not turn into a refusal itself."""
    database = _database_message(error)
    if database is not None:
        return database
    if isinstance(error, OSError):
        return _file_message(error)
    if isinstance(error, OverflowError):
        return "un numero indicato è fuori misura"
    if isinstance(error, UnicodeError):
        return "testo con caratteri non validi (codifica)"
    if isinstance(error, ValueError) and "null" in str(error):
        return "un valore indicato contiene un carattere nullo"
    if isinstance(error, ModuleNotFoundError | ImportError):
        return f"componente non installato ({shown(getattr(error, 'name', '') or error)})"
    if isinstance(error, MemoryError):
        return "memoria esaurita: il valore o il file indicato è troppo grande"
    where = log_file or "il registro della postazione"
    return f"errore interno ({type(error).__name__}): il dettaglio è in {where}"
