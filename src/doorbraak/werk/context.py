"""What a service needs to act for someone: the session, the actor, and the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.config import Settings
from doorbraak.db import utcnow
from doorbraak.logboek.service import Logboekregel
from doorbraak.models import Medewerker, TijdlijnRegel
from doorbraak.werk.verzoek import Verzoekstaat


def _json_waarde(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def wijziging(oud: Any, nieuw: Any) -> dict[str, Any]:
    return {"oud": _json_waarde(oud), "nieuw": _json_waarde(nieuw)}


@dataclass
class Werkcontext:
    session: AsyncSession
    actor: Medewerker
    staat: Verzoekstaat
    # The settings of this app or command (create_app(settings), the CLI): never the environment.
    settings: Settings
    toelichting: str | None = None
    # A fixed clock for loading history (demo data); requests always run on the real clock.
    klok: dt.datetime | None = None
    # The system actor of a job (werk/systeem.py): its changes name no person in the tijdlijn.
    systeem: bool = False
    # Set by `afzien()`: the unit of work outside HTTP found nothing to do and rolls back.
    afgezien: bool = False
    # False while loading history (demo data): its events are long past and addressed to demo
    # medewerkers, so they queue no meldingen a server with SMTP would mail at start.
    meldingen: bool = True

    @property
    def nu(self) -> dt.datetime:
        return self.klok or utcnow()

    def tijdlijn(
        self,
        casus_id: int,
        actie: str,
        object_soort: str,
        object_id: Any,
        wijzigingen: dict[str, Any] | None = None,
    ) -> None:
        """Record a change in the casus history; same transaction as the change itself."""
        self.session.add(
            TijdlijnRegel(
                casus_id=casus_id,
                door_id=None if self.systeem else self.actor.id,
                actie=actie,
                object_soort=object_soort,
                object_id=str(object_id),
                wijzigingen=wijzigingen or {},
                toelichting=self.toelichting,
                op=self.nu,
            )
        )

    def afzien(self) -> None:
        """Nothing to do after all (outside HTTP): roll back, write no logboek entry."""
        self.afgezien = True

    def onderwerp(self, object_soort: str, object_id: Any, casus_id: int | None = None) -> None:
        """What a unit of work outside HTTP is about (its logboek entry names it)."""
        self.staat.object_soort = object_soort
        self.staat.object_id = None if object_id is None else str(object_id)
        if casus_id is not None:
            self.staat.casus_id = casus_id

    def logboek(
        self, actie: str, object_soort: str, object_id: Any, casus_id: int | None = None
    ) -> None:
        """An extra logboek entry beyond the one every request gets (e.g. an unmasked BSN read)."""
        self.staat.logboek.append(
            Logboekregel(
                actie=actie,
                object_soort=object_soort,
                object_id=str(object_id),
                resultaat="succes",
                actor=self.staat.actor_id,
                casus_id=casus_id if casus_id is not None else self.staat.casus_id,
                oorsprong=self.staat.oorsprong,
                doelbinding=self.staat.doelbinding,
                request_id=self.staat.request_id,
            )
        )


def pas_toe(
    obj: Any, velden: dict[str, Any], *, geheim: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Set changed attributes and return the tijdlijn diff; secret fields show as '***'."""
    diff: dict[str, Any] = {}
    for naam, nieuw in velden.items():
        oud = getattr(obj, naam)
        if oud == nieuw:
            continue
        setattr(obj, naam, nieuw)
        diff[naam] = wijziging("***", "***") if naam in geheim else wijziging(oud, nieuw)
    return diff
