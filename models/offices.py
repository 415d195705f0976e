"""Offices of the two administrations and the people who work in them."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Synced
from models.enums import OfficeKind, Role


class Office(Synced, Base):
    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. LO-SUI
    kind: Mapped[str] = mapped_column(String(16))  # OfficeKind
    name: Mapped[str] = mapped_column(String(200))
    administration: Mapped[str] = mapped_column(String(200))  # "Prefettura – UTG di Lodi"
    province: Mapped[str] = mapped_column(String(2))  # holiday subdivision, e.g. LO
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300), default="")
    pec: Mapped[str] = mapped_column(String(200), default="")
    # Patron saint's day as MM-DD when it differs from the `holidays` package's entry.
    patron_day: Mapped[str | None] = mapped_column(String(5), default=None)
    signatory: Mapped[str] = mapped_column(String(200), default="")
    responsabile: Mapped[str] = mapped_column(String(200), default="")

    staff: Mapped[list[Staff]] = relationship(back_populates="office")

    @property
    def office_kind(self) -> OfficeKind:
        return OfficeKind(self.kind)


class Staff(Synced, Base):
    __tablename__ = "staff"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    office_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offices.id"))
    role: Mapped[str] = mapped_column(String(32))  # Role
    restricted_access: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    office: Mapped[Office] = relationship(back_populates="staff", lazy="joined")

    @property
    def staff_role(self) -> Role:
        return Role(self.role)
