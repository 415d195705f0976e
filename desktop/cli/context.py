"""What every command handler gets: parsed options and the database, opened once."""

from __future__ import annotations

import argparse
from datetime import date
from functools import cached_property

from desktop.config import Workstation, resolve
from desktop.wiring import default_username, open_database
from models.services.registration import parse_on
from models.uow import Database, UnitOfWork


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    @cached_property
    def workstation(self) -> Workstation:
        return resolve(self.args.home, self.args.db)

    @cached_property
    def database(self) -> Database:
        return open_database(self.workstation)

    @cached_property
    def username(self) -> str:
        return default_username(self.database, self.args.user)

    def read(self) -> UnitOfWork:
        return self.database.unit_of_work(self.username)

    def reference(self) -> UnitOfWork:
        """For reference data everyone may read (types, offices): no acting user needed."""
        return self.database.unit_of_work(None)

    def write(self) -> UnitOfWork:
        return self.database.unit_of_work(self.username, write=True)

    def on(self, value: str | None) -> date:
        return parse_on(value, self.database.today())
