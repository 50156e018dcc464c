"""`doorbraak demo --casussen N`: a large, seeded, reproducible data set for national scale.

The small demo goes through the services; a million casussen cannot (hours). This writes rows
straight into the tables: PostgreSQL by COPY (asyncpg `copy_records_to_table`, secondary indexes
dropped during the load and rebuilt after it, foreign-key triggers off for the load session:
the generator only makes consistent rows), SQLite by batched INSERTs. Every casus gets its parts
in the proportions of real use (deelnames, regie, betrokkenen, stappen, knelpunten, besluiten with
reacties, afwijkingen with rugdekking, leerpunten, escalaties, fase-overgangen), every change a
tijdlijn entry and a logboek entry, and the logboek hash chain is computed here, so
`doorbraak logboek verify` still passes. Kenmerk counters continue where the data set ends.

The same seed and the same starting database give the same data set.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from doorbraak.auth.tokens import token_hash
from doorbraak.casussen.service import standaard_besluit_uiterlijk
from doorbraak.config import Settings
from doorbraak.db import Base, utcnow
from doorbraak.demo import medewerker_id, organisatie_laden, regels_laden
from doorbraak.logboek.service import GENESIS, GESLEUTELDE_VELDEN
from doorbraak.logboek.sleutels import Sleutel, sleutelring
from doorbraak.models import (
    Afdeling,
    ApiToken,
    Casus,
    KenmerkTeller,
    LogboekRegel,
    Medewerker,
    Regel,
    Regelversie,
    TijdlijnRegel,
)
from doorbraak.models.enums import FASE_VOLGORDE, Fase, KnelpuntSoort, Urgentie
from doorbraak.retentie.service import archiefactiedatum
from doorbraak.werk.systeem import omgeving

# Scale of the organisation behind the data set: a regional/national deployment.
EXTRA_AFDELINGEN = 40
MEDEWERKERS_PER_AFDELING = 45
JAREN = 6
BATCH = 2000

# Columns per table, in the order the generator builds its tuples (checked against the models).
KOLOMMEN: dict[str, tuple[str, ...]] = {
    # The casus row is built by name (`casusrij`): its columns are the model's, whatever it has.
    "casussen": tuple(Base.metadata.tables["casussen"].columns.keys()),
    "doelen": (
        "id", "casus_id", "leefgebied", "tekst", "gezegd_door_id", "aangemaakt_op", "versie",
    ),
    "fase_overgangen": (
        "id", "casus_id", "van", "naar", "door_id", "op", "toelichting", "afsluitreden",
        "terugval",
    ),
    "regievoeringen": (
        "id", "casus_id", "medewerker_id", "van", "tot", "reden", "overdrachtsnotitie",
        "toegewezen_door_id", "versie",
    ),
    "deelnames": (
        "id", "casus_id", "afdeling_code", "contactpersoon_id", "standpunt", "aangemaakt_op",
        "versie",
    ),
    "casusteam_leden": ("casus_id", "medewerker_id", "toegevoegd_op", "toegevoegd_door_id"),
    "betrokkenen": (
        "id", "casus_id", "organisatie", "leefgebied", "kosten_per_jaar_cent", "toelichting",
        "aangemaakt_op", "versie",
    ),
    "stappen": (
        "id", "casus_id", "titel", "fase", "afdeling_code", "eigenaar_id", "deadline_datum",
        "status", "bevinding", "aangemaakt_op", "afgerond_op", "versie", "soort",
        "door_huishouden", "nazorg_vanaf", "nazorg_maanden", "huishoudlid_id", "partijdeelname_id",
    ),
    "knelpunten": (
        "id", "casus_id", "soort", "niveau", "omschrijving", "regel_id", "afdeling_code",
        "status", "aangemaakt_op", "versie",
    ),
    "besluiten": (
        "id", "casus_id", "omschrijving", "motivering", "kosten_eenmalig_cent",
        "kosten_per_jaar_cent", "betalende_afdeling_code", "status", "vervangt_id", "afweging",
        "opgesteld_door_id", "aangemaakt_op", "vastgesteld_door_id", "vastgesteld_op",
        "ingetrokken_op", "intrekkingsreden", "noodmaatregel", "noodmaatregel_reden", "versie",
    ),
    "kostenaandelen": ("besluit_id", "afdeling_code", "eenmalig_cent", "per_jaar_cent"),
    "reacties": (
        "id", "besluit_id", "afdeling_code", "reactie", "toelichting", "door_id", "op",
        "gegeven_op_besluit_id", "versie",
    ),
    "afwijkingen": (
        "id", "casus_id", "besluit_id", "regel_id", "wat_de_regel_zegt", "wat_we_doen",
        "grondslag", "motivering", "waardentoets_legitimiteit", "waardentoets_rendement",
        "waardentoets_betrokkenheid", "risico", "financieel_belang_cent", "beleidssignaal",
        "regelversie_id", "status", "voorgesteld_door_id", "aangemaakt_op", "rugdekking_door_id",
        "rugdekking_op", "rugdekking_oordeel", "rugdekking_toelichting", "mandaat_referentie",
        "versie",
    ),
    "leerpunten": (
        "id", "casus_id", "soort", "tekst", "voor_wie", "delen", "gedeeld_op",
        "aangemaakt_op", "versie", "auteur_id", "gedeeld_door_id", "toestemming_op",
        "toestemming_door_id", "goedgekeurd_op", "goedgekeurd_door_id", "ingetrokken_op",
        "ingetrokken_door_id",
    ),
    "beleidssignalen": (
        "id", "bron", "leerpunt_id", "afwijking_id", "casus_id", "status", "reactie",
        "besloten_op", "regelversie_id", "behandeld_door_id", "gemeld_op", "gewijzigd_op",
        "versie",
    ),
    "escalaties": (
        "id", "casus_id", "niveau", "reden", "betreft_besluit_id", "uitkomst_soort",
        "voorwaarden", "referentie", "uitkomst", "vervangt_id", "correctiereden",
        "loket_referentie", "loket_contact", "loket_antwoord_verwacht", "loket_status",
        "aangevraagd_door_id", "aangevraagd_op", "afgehandeld_door_id", "afgehandeld_op", "versie",
    ),
    "tijdlijn": (
        "id", "casus_id", "op", "door_id", "actie", "object_soort", "object_id", "wijzigingen",
        "toelichting",
    ),
    "logboek": (
        "id", "tijdstempel", "actor", "actie", "object_soort", "object_id", "casus_id",
        "resultaat", "oorsprong", "doelbinding", "request_id", "aantal", "sleutel_id",
        "vorige_hash", "hash",
    ),
}  # fmt: skip
JSON_KOLOMMEN = {"tijdlijn": KOLOMMEN["tijdlijn"].index("wijzigingen")}
# Parents before children: the order in which a batch is written.
VOLGORDE = list(KOLOMMEN)

TITELS = (
    "Lekkage en schimmel in huurwoning",
    "Schulden blokkeren verhuizing",
    "Geen passend vervoer naar dagbesteding",
    "Terugvordering toeslag na scheiding",
    "Zorg stopt bij achttiende verjaardag",
    "Huisuitzetting dreigt na huurachterstand",
    "Mantelzorger valt uit",
    "Inkomen onzeker na faillissement",
    "Statushouder zonder passende woning",
    "Jongere dakloos na jeugdzorg",
)
ORGANISATIES = (
    "Woningcorporatie",
    "GGD",
    "Wijkteam",
    "UWV",
    "Belastingdienst Toeslagen",
    "Zorgverzekeraar",
    "Reclassering",
    "Schuldeiser",
)
STAPPEN = ("Huisbezoek", "Dossier opvragen", "Overleg met afdeling", "Offerte vragen", "Besluit")
URGENTIE = (("laag", 15), ("normaal", 55), ("hoog", 22), ("acuut", 8))
KNELPUNT_SOORTEN = tuple(KnelpuntSoort)
GRONDSLAGEN = ("awb_4_84", "hardheidsclausule", "wettelijke_ruimte", "buiten_kader")
LEEFGEBIEDEN = ("financien", "wonen", "werk", "zorg", "gezondheid", "sociaal_netwerk")
AFSLUITREDENEN = (
    ("opgelost", 70),
    ("niet_opgelost", 10),
    ("elders_belegd", 12),
    ("ingetrokken", 8),
)


def _json(waarde: Any) -> str:
    if waarde is None:
        return "null"
    if isinstance(waarde, int):
        return str(waarde)
    return encode_basestring_ascii(str(waarde))


def snelle_hash(sleutel: Sleutel, vorige_hash: str, waarden: dict[str, Any]) -> str:
    """`logboek.service.bereken_mac`, byte for byte, without the general JSON encoder (the hash
    of tens of millions of entries is most of the generator's time). A test holds them equal."""
    inhoud = dict(waarden, tijdstempel=waarden["tijdstempel"].isoformat(), sleutel_id=sleutel.id)
    canoniek = "{" + ",".join(f'"{k}":{_json(inhoud.get(k))}' for k in _GESORTEERD) + "}"
    return sleutel.mac((vorige_hash + canoniek).encode())


_GESORTEERD = sorted(GESLEUTELDE_VELDEN)


def _gewogen(rng: random.Random, keuzes: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in keuzes], weights=[w for _, w in keuzes])[0]


class Organisatie:
    """Who works where: the demo medewerkers plus a generated regional organisation."""

    def __init__(self, medewerkers: Sequence[tuple[uuid.UUID, str, list[str]]]) -> None:
        self.per_afdeling: dict[str, list[uuid.UUID]] = defaultdict(list)
        self.regisseurs: list[uuid.UUID] = []
        self.aanmelders: list[uuid.UUID] = []
        for mid, afdeling, rollen in medewerkers:
            self.per_afdeling[afdeling].append(mid)
            if "casusregisseur" in rollen:
                self.regisseurs.append(mid)
            if {"medewerker", "casusregisseur", "leidinggevende"} & set(rollen):
                self.aanmelders.append(mid)
        self.afdelingen = sorted(self.per_afdeling)


def _extra_organisatie() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    afdelingen, medewerkers = [], []
    for a in range(1, EXTRA_AFDELINGEN + 1):
        code = f"regio-{a:03d}"
        afdelingen.append({"code": code, "naam": f"Regio-afdeling {a}", "actief": True})
        for m in range(MEDEWERKERS_PER_AFDELING):
            sleutel = f"{code}-{m:03d}"
            rollen = ["medewerker"]
            if m % 3 == 0:
                rollen.append("casusregisseur")
            if m == 1:
                rollen = ["leidinggevende"]
            medewerkers.append(
                {
                    "id": medewerker_id(sleutel),
                    "naam": f"Medewerker {a}.{m}",
                    "email": f"{sleutel}@regio.example",
                    "afdeling_code": code,
                    "rollen": rollen,
                    "mandaat_max_bedrag_cent": 2_500_000 if m == 1 else 0,
                    "mandaat_max_risico": "midden" if m == 1 else None,
                    "actief": True,
                }
            )
    return afdelingen, medewerkers


class Generator:
    """Builds the rows of a batch of casussen; ids continue from what is in the database."""

    def __init__(
        self,
        rng: random.Random,
        org: Organisatie,
        regels: list[uuid.UUID],
        versies: dict[uuid.UUID, uuid.UUID],
        *,
        casus_id: int,
        tijdlijn_id: int,
        logboek_id: int,
        vorige_hash: str,
        tellers: dict[int, int],
        nu: dt.datetime,
        sleutel: Sleutel,
        settings: Settings,
    ) -> None:
        self.rng = rng
        self.settings = settings
        self.org = org
        self.regels = regels
        # The version in force of each regel: the one a new afwijking bends.
        self.versies = versies
        self.casus_id = casus_id
        self.tijdlijn_id = tijdlijn_id
        self.logboek_id = logboek_id
        self.vorige_hash = vorige_hash
        self.tellers = tellers
        self.nu = nu
        self.sleutel = sleutel
        self.rijen: dict[str, list[tuple[Any, ...]]] = defaultdict(list)

    def nieuw_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _wijziging(
        self, casus_id: int, kenmerk: str, op: dt.datetime, door: uuid.UUID, actie: str,
        soort: str, object_id: Any, pad: str, wijzigingen: dict[str, Any], status: int = 201,
    ) -> None:  # fmt: skip
        """One change as a request makes it: a tijdlijn entry and the request's logboek entry."""
        self.tijdlijn_id += 1
        self.rijen["tijdlijn"].append(
            (self.tijdlijn_id, casus_id, op, door, actie, soort, str(object_id), wijzigingen, None)
        )
        self.logboek_id += 1
        waarden = {
            "tijdstempel": op,
            "actor": str(door),
            "actie": pad,
            # As the request boundary names it: the casus of the route.
            "object_soort": "casussen",
            "object_id": None if pad == "POST /api/v1/casussen" else kenmerk,
            "casus_id": casus_id,
            "resultaat": f"succes-{status}",
            "oorsprong": "127.0.0.1",
            "doelbinding": None,
            "request_id": uuid.UUID(int=self.rng.getrandbits(128), version=4).hex,
        }
        hash_ = snelle_hash(self.sleutel, self.vorige_hash, waarden)
        self.rijen["logboek"].append(
            (self.logboek_id, *waarden.values(), None, self.sleutel.id, self.vorige_hash, hash_)
        )
        self.vorige_hash = hash_

    def casus(self, aangemeld: dt.datetime) -> None:
        rng, org = self.rng, self.org
        self.casus_id += 1
        cid = self.casus_id
        jaar = aangemeld.year
        self.tellers[jaar] = self.tellers.get(jaar, 0) + 1
        kenmerk = f"DB-{jaar}-{self.tellers[jaar]:04d}"
        pad = "/api/v1/casussen/{kenmerk}"
        leeftijd = (self.nu - aangemeld).days
        # Older casussen are mostly closed; young ones are spread over the fasen.
        if leeftijd > 240 and rng.random() < 0.93:
            doel, gesloten = rng.choices(range(1, 7), weights=(5, 5, 8, 10, 30, 42))[0], True
        else:
            doel = min(int(rng.random() * 7 * min(1.0, leeftijd / 120 + 0.15)), 6)
            gesloten = rng.random() < 0.05
        urgentie = _gewogen(rng, URGENTIE)
        aanmelder = rng.choice(org.aanmelders)
        regisseur = rng.choice(org.regisseurs)
        t = aangemeld
        self._wijziging(
            cid, kenmerk, t, aanmelder, "casus.aangemeld", "casus", kenmerk,
            "POST /api/v1/casussen",
            {"titel": {"oud": None, "nieuw": "..."}, "fase": {"oud": None, "nieuw": "aangemeld"}},
        )  # fmt: skip
        overgangen: list[tuple[str | None, str, uuid.UUID, dt.datetime, str | None]] = [
            (None, "aangemeld", aanmelder, t, None)
        ]

        def later(min_uren: float, max_uren: float) -> dt.datetime:
            nonlocal t
            t = min(t + dt.timedelta(hours=rng.uniform(min_uren, max_uren)), self.nu)
            return t.replace(microsecond=0)

        regiehouder: uuid.UUID | None = None
        afdelingen: list[str] = []
        for index in range(1, doel + 1):
            fase = FASE_VOLGORDE[index]
            if fase == Fase.in_kaart:
                regiehouder = regisseur
                rv = self.nieuw_id()
                wissel = rng.random() < 0.1
                van = later(1, 48)
                if wissel:
                    vorige = rng.choice(org.regisseurs)
                    tot = later(24, 24 * 20)
                    self.rijen["regievoeringen"].append(
                        (self.nieuw_id(), cid, vorige, van, tot, None, "Overdracht", aanmelder, 2)
                    )
                    van = tot
                self.rijen["regievoeringen"].append(
                    (rv, cid, regisseur, van, None, None, None, aanmelder, 1)
                )
                self._wijziging(
                    cid, kenmerk, van, aanmelder, "regie.toegewezen", "regie", regisseur,
                    f"PUT {pad}/regie", {"regiehouder": {"oud": None, "nieuw": str(regisseur)}},
                    200,
                )  # fmt: skip
                afdelingen = rng.sample(org.afdelingen, rng.choice((1, 2, 2, 2, 3, 3, 4)))
                for code in afdelingen:
                    op = later(1, 72)
                    contact = rng.choice(org.per_afdeling[code]) if rng.random() < 0.8 else None
                    did = self.nieuw_id()
                    self.rijen["deelnames"].append((did, cid, code, contact, "", op, 1))
                    self._wijziging(
                        cid, kenmerk, op, regisseur, "deelname.toegevoegd", "deelname", did,
                        f"POST {pad}/deelnames", {"afdeling": {"oud": None, "nieuw": code}},
                    )  # fmt: skip
                if rng.random() < 0.1:
                    lid = rng.choice(org.aanmelders)
                    self.rijen["casusteam_leden"].append((cid, lid, later(1, 48), regisseur))
                for _ in range(rng.choice((1, 2, 2, 3, 4))):
                    op = later(1, 48)
                    bid = self.nieuw_id()
                    kosten = rng.randrange(50_000, 3_000_000, 100)
                    self.rijen["betrokkenen"].append(
                        (bid, cid, rng.choice(ORGANISATIES), rng.choice(LEEFGEBIEDEN), kosten,
                         None, op, 1)
                    )  # fmt: skip
                    self._wijziging(
                        cid, kenmerk, op, regisseur, "betrokkene.toegevoegd", "betrokkene", bid,
                        f"POST {pad}/betrokkenen", {"kostenPerJaarCent": {"oud": None,
                                                                           "nieuw": kosten}},
                    )  # fmt: skip
            elif fase == Fase.afpellen:
                for _ in range(rng.choice((1, 1, 2, 3))):
                    op = later(1, 72)
                    kid = self.nieuw_id()
                    regel = rng.choice(self.regels) if rng.random() < 0.5 else None
                    status = "opgelost" if doel >= 5 else "open"
                    self.rijen["knelpunten"].append(
                        (kid, cid, rng.choice(KNELPUNT_SOORTEN), "systeem",
                         "Regel of proces staat de oplossing in de weg", regel,
                         rng.choice(afdelingen), status, op, 1)
                    )  # fmt: skip
                    self._wijziging(
                        cid, kenmerk, op, regisseur, "knelpunt.toegevoegd", "knelpunt", kid,
                        f"POST {pad}/knelpunten", {"omschrijving": {"oud": None, "nieuw": "..."}},
                    )  # fmt: skip
                for _ in range(rng.choice((2, 3, 3, 4, 5))):
                    op = later(1, 48)
                    sid = self.nieuw_id()
                    klaar = doel >= 5 or rng.random() < 0.3
                    afgerond = later(24, 24 * 10) if klaar else None
                    code = rng.choice(afdelingen)
                    self.rijen["stappen"].append(
                        (sid, cid, rng.choice(STAPPEN), "afpellen", code,
                         rng.choice(org.per_afdeling[code]), (op + dt.timedelta(days=14)).date(),
                         "afgerond" if klaar else "open", "Gedaan" if klaar else None, op,
                         afgerond, 2 if klaar else 1, "actie", False, None, None, None, None)
                    )  # fmt: skip
                    self._wijziging(
                        cid, kenmerk, op, regisseur, "stap.toegevoegd", "stap", sid,
                        f"POST {pad}/stappen", {"titel": {"oud": None, "nieuw": "..."}},
                    )  # fmt: skip
            elif fase == Fase.maatwerk:
                op = later(24, 24 * 7)
                bid = self.nieuw_id()
                vast = doel >= 5
                eenmalig = rng.randrange(0, 2_000_000, 100)
                per_jaar = rng.randrange(0, 500_000, 100)
                vast_op = later(24, 24 * 10) if vast else None
                betaler = rng.choice(afdelingen)
                self.rijen["besluiten"].append(
                    (bid, cid, "Maatwerk: doorbraak in de situatie", "Onevenredig gevolg",
                     eenmalig, per_jaar, betaler,
                     "vastgesteld" if vast else "concept", None, "Afgewogen" if vast else None,
                     regisseur, op, regisseur if vast else None, vast_op, None, None, False,
                     None, 2 if vast else 1)
                )  # fmt: skip
                self._wijziging(
                    cid, kenmerk, op, regisseur, "besluit.opgesteld", "besluit", bid,
                    f"POST {pad}/besluiten", {"omschrijving": {"oud": None, "nieuw": "..."}},
                )  # fmt: skip
                # The cost split: one paying afdeling, or two sharing (halves, the rest to the
                # first); the shares add up to the totals, as the API demands.
                if len(afdelingen) > 1 and rng.random() < 0.3:
                    ander = next(a for a in afdelingen if a != betaler)
                    self.rijen["kostenaandelen"].extend(
                        [
                            (bid, betaler, eenmalig - eenmalig // 2, per_jaar - per_jaar // 2),
                            (bid, ander, eenmalig // 2, per_jaar // 2),
                        ]
                    )
                else:
                    self.rijen["kostenaandelen"].append((bid, betaler, eenmalig, per_jaar))
                # Every participating afdeling is heard before a besluit is fixed.
                for code in afdelingen:
                    rop = later(1, 48)
                    door = rng.choice(org.per_afdeling[code])
                    self.rijen["reacties"].append(
                        (self.nieuw_id(), bid, code, "akkoord" if rng.random() < 0.85 else "bezwaar",
                         "", door, rop, None, 1)
                    )  # fmt: skip
                    self._wijziging(
                        cid, kenmerk, rop, door, "reactie.gegeven", "reactie", bid,
                        f"POST {pad}/besluiten/{{id}}/reacties", {},
                    )  # fmt: skip
                if rng.random() < 0.3:
                    aop = later(1, 48)
                    signaal = rng.random() < 0.25
                    gedekt = vast or rng.random() < 0.5
                    belang = rng.randrange(10_000, 2_000_000, 100)
                    rugdekker = medewerker_id("peter")
                    aid = self.nieuw_id()
                    regel = rng.choice(self.regels)
                    self.rijen["afwijkingen"].append(
                        (aid, cid, bid, regel, "De regel", "Wat we doen",
                         rng.choice(GRONDSLAGEN), "Motivering", "Legitiem", "Rendeert",
                         "Betrokken", rng.choice(("laag", "midden")), belang, signaal,
                         self.versies[regel], "gedekt" if gedekt else "voorgesteld",
                         regisseur, aop, rugdekker if gedekt else None,
                         later(1, 72) if gedekt else None, "gedekt" if gedekt else None,
                         "Gedekt" if gedekt else None, None, 2 if gedekt else 1)
                    )  # fmt: skip
                    if signaal:
                        self.rijen["beleidssignalen"].append(
                            (
                                aid,
                                "afwijking",
                                None,
                                aid,
                                cid,
                                "nieuw",
                                None,
                                None,
                                None,
                                None,
                                aop,
                                aop,
                                1,
                            )
                        )
                    self._wijziging(
                        cid, kenmerk, aop, regisseur, "afwijking.voorgesteld", "afwijking", aid,
                        f"POST {pad}/afwijkingen", {"grondslag": {"oud": None, "nieuw": "..."}},
                    )  # fmt: skip
                if vast_op is not None:
                    self._wijziging(
                        cid, kenmerk, vast_op, regisseur, "besluit.vastgesteld", "besluit", bid,
                        f"POST {pad}/besluiten/{{id}}/vaststellen",
                        {"status": {"oud": "concept", "nieuw": "vastgesteld"}}, 200,
                    )  # fmt: skip
                if rng.random() < 0.08:
                    eop = later(1, 72)
                    klaar = doel >= 5
                    niveau = rng.choice(("team", "management", "bestuur"))
                    self.rijen["escalaties"].append(
                        (self.nieuw_id(), cid, niveau, "Afdelingen komen er samen niet uit",
                         bid, "toegekend" if klaar else None, None,
                         f"Collegebesluit {rng.randrange(1, 999)}"
                         if klaar and niveau == "bestuur" else None,
                         "Besloten" if klaar else None, None, None, None, None, None, None,
                         regisseur, eop, medewerker_id("peter") if klaar else None,
                         later(24, 24 * 5) if klaar else None, 2 if klaar else 1)
                    )  # fmt: skip
                    self._wijziging(
                        cid, kenmerk, eop, regisseur, "escalatie.aangevraagd", "escalatie", cid,
                        f"POST {pad}/escalaties", {},
                    )  # fmt: skip
            elif fase == Fase.evaluatie:
                for _ in range(rng.choice((1, 1, 2))):
                    op = later(24, 24 * 14)
                    soort = rng.choice(("succes", "verbetering", "systeem"))
                    delen = soort == "succes" and rng.random() < 0.3
                    lid = self.nieuw_id()
                    # A shared succes is published: consent recorded, approved by a second
                    # medewerker (four-eyes), not by its author.
                    tweede = medewerker_id(
                        "marieke" if regisseur == medewerker_id("peter") else "peter"
                    )
                    self.rijen["leerpunten"].append(
                        (lid, cid, soort, "Wat we leerden van deze casus", None, delen,
                         op if delen else None, op, 1,
                         regisseur, regisseur if delen else None, op if delen else None,
                         regisseur if delen else None, op if delen else None,
                         tweede if delen else None, None, None)
                    )  # fmt: skip
                    if soort == "systeem":
                        self.rijen["beleidssignalen"].append(
                            (
                                lid,
                                "leerpunt",
                                lid,
                                None,
                                cid,
                                "nieuw",
                                None,
                                None,
                                None,
                                None,
                                op,
                                op,
                                1,
                            )
                        )
                    self._wijziging(
                        cid, kenmerk, op, regisseur, "leerpunt.toegevoegd", "leerpunt", lid,
                        f"POST {pad}/leerpunten", {"soort": {"oud": None, "nieuw": soort}},
                    )  # fmt: skip
            op = later(24, 24 * 21)
            door = regiehouder or aanmelder
            overgangen.append((FASE_VOLGORDE[index - 1], fase, door, op, None))
            self._wijziging(
                cid, kenmerk, op, door, "casus.doorgezet", "casus", kenmerk,
                f"POST {pad}/fase-overgangen",
                {"fase": {"oud": FASE_VOLGORDE[index - 1], "nieuw": fase}},
            )  # fmt: skip
        afgesloten_op: dt.datetime | None = None
        afsluitreden: str | None = None
        fase_nu = FASE_VOLGORDE[doel]
        if gesloten:
            afgesloten_op = later(24, 24 * 14)
            afsluitreden = _gewogen(rng, AFSLUITREDENEN)
            door = regiehouder or aanmelder
            overgangen.append((fase_nu, Fase.afgesloten, door, afgesloten_op, afsluitreden))
            self._wijziging(
                cid, kenmerk, afgesloten_op, door, "casus.afgesloten", "casus", kenmerk,
                f"POST {pad}/fase-overgangen",
                {"fase": {"oud": fase_nu, "nieuw": Fase.afgesloten}},
            )  # fmt: skip
            fase_nu = Fase.afgesloten
        for oud, naar, wie, moment, reden in overgangen:
            self.rijen["fase_overgangen"].append(
                (self.nieuw_id(), cid, oud, naar, wie, moment, None, reden, False)
            )
        if doel >= 2:
            # The perspectiefplan's goal that let the casus leave fase perspectief.
            self.rijen["doelen"].append(
                (self.nieuw_id(), cid, "wonen", "Een veilige, betaalbare woning", None,
                 aangemeld, 1)
            )  # fmt: skip
        self.rijen["casussen"].append(
            casusrij(
                id=cid,
                kenmerk=kenmerk,
                titel=rng.choice(TITELS),
                situatie="Situatie van het huishouden.",
                huishouden_naam=f"Huishouden {cid}",
                urgentie=urgentie,
                fase=fase_nu,
                vertrouwelijkheid="zaakvertrouwelijk",
                doorbraakvraag="Wat is er nodig om te blijven wonen?" if doel >= 3 else None,
                doorbraak="Wat de doorbraak is" if doel >= 3 else None,
                aanmelder_id=aanmelder,
                regiehouder_id=regiehouder,
                aangemeld_op=aangemeld,
                afgesloten_op=afgesloten_op,
                afsluitreden=afsluitreden,
                besluit_uiterlijk_datum=standaard_besluit_uiterlijk(aangemeld, Urgentie(urgentie)),
                gewijzigd_op=t,
                versie=1 + len(overgangen) + (1 if doel >= 2 else 0),
                archiefactiedatum=archiefactiedatum(self.settings, afsluitreden, afgesloten_op)
                if afsluitreden and afgesloten_op
                else None,
                # The household agreed to its plan before the casus left perspectief.
                instemming_datum=aangemeld.date() if doel >= 3 and regiehouder else None,
                instemming_door_id=regiehouder if doel >= 3 else None,
            )
        )

    def neem_rijen(self) -> dict[str, list[tuple[Any, ...]]]:
        rijen, self.rijen = self.rijen, defaultdict(list)
        return rijen


def casusrij(**waarden: Any) -> tuple[Any, ...]:
    """A casus row in the order of the model's columns. A column the generator does not name
    (the BSN, a field added later) gets its default from the model, or NULL."""
    tabel = Base.metadata.tables["casussen"]
    onbekend = set(waarden) - set(tabel.columns.keys())
    if onbekend:
        raise RuntimeError(f"bulkdemo: casussen heeft geen kolommen {sorted(onbekend)}")
    rij = []
    for kolom in tabel.columns:
        if kolom.name in waarden:
            rij.append(waarden[kolom.name])
        elif isinstance(kolom.default, ScalarElementColumnDefault):
            rij.append(kolom.default.arg)
        elif kolom.nullable:
            rij.append(None)
        else:
            raise RuntimeError(f"bulkdemo: casussen.{kolom.name} heeft een waarde nodig")
    return tuple(rij)


def _controleer_kolommen() -> None:
    for tabel, kolommen in KOLOMMEN.items():
        model = set(Base.metadata.tables[tabel].columns.keys())
        if set(kolommen) != model:
            raise RuntimeError(f"bulkdemo: kolommen van {tabel} wijken af: {model ^ set(kolommen)}")


async def laden(settings: Settings, aantal: int, seed: int) -> int:
    _controleer_kolommen()
    begin = time.monotonic()
    async with omgeving(settings) as omg:
        async with omg.als(None, "demo.controle", droog=True) as ctx:
            leeg = not await ctx.session.scalar(select(func.count()).select_from(Afdeling))
            regels = await ctx.session.scalar(select(func.count()).select_from(Regel))
        async with omg.als(None, "demo.organisatie", oorsprong="demo") as ctx:
            if leeg:
                await organisatie_laden(ctx.session)
                await ctx.session.flush()
            await _extra_organisatie_laden(ctx.session)
        if not regels:
            await regels_laden(omg, utcnow())
        async with omg.als(None, "demo.controle", droog=True) as ctx:
            gen = await _generator(ctx.session, seed, settings)
        await _schrijf_alles(omg.engine, gen, aantal)
        duur = time.monotonic() - begin
        print(
            f"{aantal} casussen gegenereerd in {duur:.0f} s (seed {seed}); "
            f"tijdlijn tot id {gen.tijdlijn_id}, logboek tot id {gen.logboek_id}"
        )
        return 0


async def _extra_organisatie_laden(session: AsyncSession) -> None:
    afdelingen, medewerkers = _extra_organisatie()
    bestaande = set((await session.scalars(select(Afdeling.code))).all())
    nieuwe_afdelingen = [a for a in afdelingen if a["code"] not in bestaande]
    if not nieuwe_afdelingen:
        return
    await session.execute(insert(Afdeling), nieuwe_afdelingen)
    codes = {a["code"] for a in nieuwe_afdelingen}
    await session.execute(
        insert(Medewerker), [m for m in medewerkers if m["afdeling_code"] in codes]
    )
    # One leidinggevende per generated afdeling gets a token for the benchmark (dev mode only).
    tokens = [
        {
            "medewerker_id": m["id"],
            "naam": "bench",
            "token_hash": token_hash(f"demo-{m['email'].split('@')[0]}"),
        }
        for m in medewerkers
        if m["afdeling_code"] in codes and m["rollen"] == ["leidinggevende"]
    ]
    await session.execute(insert(ApiToken), tokens)


async def _generator(session: AsyncSession, seed: int, settings: Settings) -> Generator:
    medewerkers = (
        await session.execute(
            select(Medewerker.id, Medewerker.afdeling_code, Medewerker.rollen)
            .where(Medewerker.actief.is_(True))
            .order_by(Medewerker.id)
        )
    ).all()
    regels = list((await session.scalars(select(Regel.id).order_by(Regel.id))).all())
    if not regels:
        raise RuntimeError("bulkdemo: de regelcatalogus is leeg")
    versies: dict[uuid.UUID, uuid.UUID] = {}
    for regel_id, versie_id in (
        await session.execute(
            select(Regelversie.regel_id, Regelversie.id).order_by(Regelversie.nummer)
        )
    ).all():
        versies[regel_id] = versie_id
    regels = [r for r in regels if r in versies]
    casus_id = await session.scalar(select(func.coalesce(func.max(Casus.id), 0)))
    tijdlijn_id = await session.scalar(select(func.coalesce(func.max(TijdlijnRegel.id), 0)))
    logboek_id = await session.scalar(select(func.coalesce(func.max(LogboekRegel.id), 0)))
    vorige = await session.scalar(
        select(LogboekRegel.hash).order_by(LogboekRegel.id.desc()).limit(1)
    )
    tellers = {r.jaar: r.laatste for r in (await session.scalars(select(KenmerkTeller))).all()}
    org = Organisatie([(m.id, m.afdeling_code, list(m.rollen)) for m in medewerkers])
    return Generator(
        random.Random(seed),
        org,
        regels,
        versies,
        casus_id=int(casus_id or 0),
        tijdlijn_id=int(tijdlijn_id or 0),
        logboek_id=int(logboek_id or 0),
        vorige_hash=vorige or GENESIS,
        tellers=tellers,
        nu=utcnow().replace(microsecond=0),
        sleutel=sleutelring(settings).huidige,
        settings=settings,
    )


def _aanmeldmomenten(rng: random.Random, aantal: int, nu: dt.datetime) -> list[dt.datetime]:
    """Spread over the last years, oldest first (ids follow the order of aanmelden)."""
    span = JAREN * 365 * 86400
    seconden = sorted(rng.randrange(86400 * 2, span) for _ in range(aantal))
    return [nu - dt.timedelta(seconds=s) for s in reversed(seconden)]


async def _schrijf_alles(engine: AsyncEngine, gen: Generator, aantal: int) -> None:
    momenten = _aanmeldmomenten(gen.rng, aantal, gen.nu)
    tellers_voor = dict(gen.tellers)
    postgres = engine.dialect.name == "postgresql"
    async with engine.connect() as conn:
        indexen: list[tuple[str, str]] = []
        raw: Any = None
        if postgres:
            raw = (await conn.get_raw_connection()).driver_connection
            await conn.commit()
            # Only this session: no FK triggers (the rows are consistent by construction) and
            # no waiting for the WAL flush of every batch.
            await raw.execute(
                "SET session_replication_role = replica; SET synchronous_commit = off"
            )
            indexen = await _indexen_weg(raw)
        try:

            def maak(start: int) -> dict[str, list[tuple[Any, ...]]]:
                for moment in momenten[start : start + BATCH]:
                    gen.casus(moment)
                return gen.neem_rijen()

            # The next batch is generated in a thread while the database takes this one.
            volgende = asyncio.ensure_future(asyncio.to_thread(maak, 0))
            for start in range(0, aantal, BATCH):
                rijen = await volgende
                if start + BATCH < aantal:
                    volgende = asyncio.ensure_future(asyncio.to_thread(maak, start + BATCH))
                if postgres:
                    await _copy(raw, rijen)
                else:
                    await _insert(conn, rijen)
                    await conn.commit()
                if (start // BATCH) % 25 == 0:
                    print(f"  {min(start + BATCH, aantal)} / {aantal} casussen", flush=True)
        finally:
            if postgres:
                await raw.execute("SET session_replication_role = DEFAULT")
                await _indexen_terug(raw, indexen)
        await _tellers_en_reeksen(conn, gen, tellers_voor, postgres)
        await conn.commit()


async def _copy(raw: Any, rijen: dict[str, list[tuple[Any, ...]]]) -> None:
    for tabel in VOLGORDE:
        records = rijen.get(tabel)
        if not records:
            continue
        if tabel in JSON_KOLOMMEN:
            i = JSON_KOLOMMEN[tabel]
            records = [(*r[:i], json.dumps(r[i]), *r[i + 1 :]) for r in records]
        await raw.copy_records_to_table(tabel, records=records, columns=KOLOMMEN[tabel])


async def _insert(conn: AsyncConnection, rijen: dict[str, list[tuple[Any, ...]]]) -> None:
    for tabel in VOLGORDE:
        records = rijen.get(tabel)
        if not records:
            continue
        table: Table = Base.metadata.tables[tabel]
        kolommen = KOLOMMEN[tabel]
        await conn.execute(insert(table), [dict(zip(kolommen, r, strict=True)) for r in records])


GROTE_TABELLEN = list(KOLOMMEN)


async def _indexen_weg(raw: Any) -> list[tuple[str, str]]:
    """Secondary indexes of the big tables: dropped for the load, rebuilt after (much faster)."""
    rijen = await raw.fetch(
        "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = 'public' "
        "AND tablename = ANY($1::text[]) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        GROTE_TABELLEN,
    )
    for r in rijen:
        await raw.execute(f'DROP INDEX IF EXISTS "{r["indexname"]}"')
    return [(r["indexname"], r["indexdef"]) for r in rijen]


async def _indexen_terug(raw: Any, indexen: list[tuple[str, str]]) -> None:
    await raw.execute("SET maintenance_work_mem = '512MB'")
    for naam, definitie in indexen:
        begin = time.monotonic()
        await raw.execute(definitie)
        print(f"  index {naam} opnieuw gebouwd ({time.monotonic() - begin:.0f} s)", flush=True)
    for tabel in GROTE_TABELLEN:
        await raw.execute(f"ANALYZE {tabel}")


async def _tellers_en_reeksen(
    conn: AsyncConnection, gen: Generator, voor: dict[int, int], postgres: bool
) -> None:
    for jaar, laatste in sorted(gen.tellers.items()):
        if jaar in voor:
            await conn.execute(
                text("UPDATE kenmerk_tellers SET laatste = :l WHERE jaar = :j"),
                {"l": laatste, "j": jaar},
            )
        else:
            await conn.execute(insert(KenmerkTeller).values(jaar=jaar, laatste=laatste))
    if postgres:
        # COPY wrote explicit ids: move the identity sequences past them.
        for tabel in ("casussen", "tijdlijn", "logboek"):
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {tabel}))"
                )
            )


def main(settings: Settings, aantal: int, seed: int) -> int:
    return asyncio.run(laden(settings, aantal, seed))
