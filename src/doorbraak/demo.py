"""Demo data: afdelingen, a medewerker for every role, the regel catalogue, the leaking home of
api.md through the whole method, and a dozen other casussen in every fase (seeded, deterministic).

Loaded once (`doorbraak demo` does nothing when afdelingen exist). Everything goes through the
services, so the demo has the same tijdlijn and logboek as real use. The demo tokens are public
knowledge and only accepted in development mode.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from doorbraak.afpellen import service as afpellen
from doorbraak.afpellen.schemas import BetrokkeneNieuw, KnelpuntNieuw, StapNieuw, StapWijziging
from doorbraak.auth.tokens import token_hash
from doorbraak.bijlagen import service as bijlagen
from doorbraak.bijlagen import soorten as bijlagesoorten
from doorbraak.casussen import service as casussen
from doorbraak.casussen.schemas import CasusNieuw, CasusWijziging, FaseOvergangNieuw
from doorbraak.casussen.toegang import CasusToegang, casus_toegang
from doorbraak.config import Settings
from doorbraak.errors import NietGevonden
from doorbraak.huishouden import service as huishouden
from doorbraak.huishouden.schemas import (
    AfspraakNieuw,
    DoelNieuw,
    ExternePartijNieuw,
    HuishoudlidNieuw,
    InstemmingNieuw,
    PartijdeelnameNieuw,
)
from doorbraak.kosten import repository as kosten_repository
from doorbraak.kosten import service as kostenboek
from doorbraak.kosten.schemas import KostenregelNieuw
from doorbraak.leren import anonimiteit
from doorbraak.leren import lezen as leren_lezen
from doorbraak.leren import service as leren
from doorbraak.leren.schemas import BeleidssignaalWijziging, LeerpuntNieuw
from doorbraak.logboek import service as logboek
from doorbraak.logboek.service import Logboekregel
from doorbraak.maatwerk import service as maatwerk
from doorbraak.maatwerk.schemas import (
    AfwijkingNieuw,
    BesluitNieuw,
    OverslagNieuw,
    ReactieNieuw,
    RugdekkingNieuw,
    VaststellenInvoer,
)
from doorbraak.models import Afdeling, ApiToken, Medewerker, Regel, Regelversie, Stap
from doorbraak.models.enums import FASE_VOLGORDE, Fase
from doorbraak.notities import service as notities
from doorbraak.notities.schemas import NotitieNieuw
from doorbraak.organisatie import service as organisatie
from doorbraak.organisatie.schemas import MedewerkerWijziging, RegelNieuw, RegelversieNieuw
from doorbraak.regie import service as regie
from doorbraak.regie.schemas import DeelnameNieuw, EscalatieNieuw, RegieNieuw
from doorbraak.rugdekking import lezen as rugdekking_lezen
from doorbraak.rugdekking import service as rugdekking
from doorbraak.rugdekking.schemas import RugdekkingsverzoekNieuw
from doorbraak.werk.context import Werkcontext
from doorbraak.werk.systeem import Omgeving, omgeving

AFDELINGEN = {
    "vastgoed": "Vastgoed",
    "sociaal-domein": "Sociaal Domein",
    "schuldhulp": "Schuldhulp",
    "wonen": "Wonen",
    "werk-en-inkomen": "Werk en Inkomen",
}


@dataclass(frozen=True)
class DemoMedewerker:
    sleutel: str
    naam: str
    afdeling: str
    rollen: tuple[str, ...]
    mandaat_cent: int = 0
    mandaat_risico: str | None = None

    @property
    def token(self) -> str:
        return f"demo-{self.sleutel}"

    @property
    def email(self) -> str:
        return f"{self.sleutel}@gemeente.example"


MEDEWERKERS = [
    DemoMedewerker("sanne", "Sanne de Vries", "sociaal-domein", ("medewerker",)),
    DemoMedewerker("karim", "Karim El Amrani", "sociaal-domein", ("medewerker", "casusregisseur")),
    DemoMedewerker("eva", "Eva Mulder", "schuldhulp", ("medewerker", "casusregisseur")),
    DemoMedewerker("joost", "Joost Bakker", "vastgoed", ("medewerker",)),
    DemoMedewerker(
        "marieke", "Marieke Jansen", "vastgoed", ("leidinggevende",), 2_500_000, "midden"
    ),
    DemoMedewerker(
        "peter",
        "Peter Visser",
        "sociaal-domein",
        ("leidinggevende", "casusregisseur"),
        10_000_000,
        "hoog",
    ),
    DemoMedewerker("fatima", "Fatima Yilmaz", "werk-en-inkomen", ("beleid",)),
    DemoMedewerker("lotte", "Lotte Smit", "wonen", ("auditor",)),
    DemoMedewerker("bram", "Bram de Boer", "wonen", ("beheerder",)),
]

# Valid under the 11-proef, and never real: used to prove BSNs do not leak.
DEMO_BSNS = ("111222333", "123456782")


def medewerker_id(sleutel: str) -> uuid.UUID:
    """Stable ids, so demo tokens and links survive a fresh database."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://doorbraak.nl/demo/medewerker/{sleutel}")


async def laden(settings: Settings) -> int:
    async with omgeving(settings) as omg:
        async with omg.als(None, "demo.controle", droog=True) as ctx:
            al_geladen = await ctx.session.scalar(select(func.count()).select_from(Afdeling))
        if al_geladen:
            print("demo-data staan er al; niets gedaan")
            _print_tokens()
            return 0
        async with omg.als(None, "demo.organisatie", oorsprong="demo") as ctx:
            await organisatie_laden(ctx.session)
        await casussen_laden(omg)
        print("demo-data geladen")
        _print_tokens()
        return 0


# The catalogue of organisations outside the municipality (kept by the beheerder).
EXTERNE_PARTIJEN = (
    ("woningcorporatie-de-sleutel", "Woningcorporatie De Sleutel", "woningcorporatie"),
    ("ggz-noord", "GGZ Noord", "ggz"),
    ("uwv", "UWV", "uwv"),
    ("svb", "Sociale Verzekeringsbank", "svb"),
    ("cak", "CAK", "cak"),
    ("zorgverzekeraar-zuid", "Zorgverzekeraar Zuid", "zorgverzekeraar"),
)


async def organisatie_laden(session: AsyncSession) -> None:
    for code, naam in AFDELINGEN.items():
        session.add(Afdeling(code=code, naam=naam, actief=True))
    await session.flush()
    for m in MEDEWERKERS:
        mid = medewerker_id(m.sleutel)
        session.add(
            Medewerker(
                id=mid,
                naam=m.naam,
                email=m.email,
                afdeling_code=m.afdeling,
                rollen=list(m.rollen),
                mandaat_max_bedrag_cent=m.mandaat_cent,
                mandaat_max_risico=m.mandaat_risico,
                actief=True,
            )
        )
        await session.flush()
        session.add(ApiToken(medewerker_id=mid, naam="demo", token_hash=token_hash(m.token)))
    await session.flush()
    await logboek.toevoegen(
        session, [Logboekregel("demo.organisatie", "demo", None, "succes", oorsprong="cli")]
    )


# --- the casussen: the leaking home through the whole method, and a dozen others ---------------

# The afdeling that applies each regel (for the mandaatscope); none: organisation-wide.
REGEL_AFDELING = {
    "wmo": "sociaal-domein",
    "bijstand": "werk-en-inkomen",
    "urgentie": "wonen",
    "terugvordering": "werk-en-inkomen",
    "wachttijd": "schuldhulp",
}

REGELS = [
    # (sleutel, titel, regeling, artikel, soort, bron)
    (
        "awb",
        "Afwijken van beleidsregels bij onevenredige gevolgen",
        "Algemene wet bestuursrecht",
        "4:84",
        "wet",
        "https://wetten.overheid.nl/BWBR0005537",
    ),
    (
        "wmo",
        "Maatwerkvoorziening pas na onderzoek",
        "Verordening maatschappelijke ondersteuning",
        "2.3.5",
        "verordening",
        None,
    ),
    (
        "offertes",
        "Drie offertes bij inkoop boven EUR 10.000",
        "Inkoop- en aanbestedingsbeleid",
        "4.2",
        "werkinstructie",
        None,
    ),
    (
        "bijstand",
        "Geen bijzondere bijstand voor schulden",
        "Beleidsregels bijzondere bijstand",
        "6",
        "beleidsregel",
        None,
    ),
    (
        "urgentie",
        "Urgentie pas na zes maanden inschrijving",
        "Huisvestingsverordening",
        "2.6.3",
        "verordening",
        None,
    ),
    (
        "terugvordering",
        "Terugvorderen van onverschuldigde bijstand",
        "Participatiewet",
        "58",
        "wet",
        "https://wetten.overheid.nl/BWBR0015703",
    ),
    (
        "wachttijd",
        "Wachttijd na een eerder schuldhulptraject",
        "Beleidsregels schuldhulpverlening",
        "5",
        "beleidsregel",
        None,
    ),
]


def regel_id(sleutel: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://doorbraak.nl/demo/regel/{sleutel}")


async def regels_laden(omg: Omgeving, nu: dt.datetime) -> None:
    async with omg.als(medewerker_id("bram"), "demo.regels", nu=nu) as ctx:
        for sleutel, titel, regeling, artikel, soort, bron in REGELS:
            uit = await organisatie.regel_toevoegen(
                ctx,
                RegelNieuw.model_validate(
                    {
                        "titel": titel,
                        "regeling": regeling,
                        "artikel": artikel,
                        "soort": soort,
                        "bronUrl": bron,
                        "afdeling": REGEL_AFDELING.get(sleutel),
                    }
                ),
            )
            # Stable ids, so that links in the demo survive a fresh database. Its version 1
            # points at the regel: moved along (taken off first, the foreign key is immediate).
            regel = await ctx.session.get(Regel, uit.id)
            assert regel is not None
            versie = await ctx.session.scalar(
                select(Regelversie).where(Regelversie.regel_id == regel.id)
            )
            assert versie is not None
            kopie = {k: getattr(versie, k) for k in ("nummer", "geldig_van", "tekst", "reden")}
            kopie |= {"vastgesteld_door_id": versie.vastgesteld_door_id, "aangemaakt_op": nu}
            await ctx.session.delete(versie)
            await ctx.session.flush()
            await ctx.session.execute(
                update(Regel).where(Regel.id == regel.id).values(id=regel_id(sleutel))
            )
            ctx.session.expunge(regel)
            ctx.session.add(Regelversie(regel_id=regel_id(sleutel), **kopie))
            await ctx.session.flush()


async def partijen_laden(omg: Omgeving, nu: dt.datetime) -> None:
    """The catalogue of external parties, entered by the beheerder."""
    async with omg.als(medewerker_id("bram"), "demo.externe-partijen", nu=nu) as ctx:
        for code, naam, soort in EXTERNE_PARTIJEN:
            await huishouden.partij_toevoegen(
                ctx, ExternePartijNieuw.model_validate({"code": code, "naam": naam, "soort": soort})
            )


class Verloop:
    """Acts on one demo casus as someone, on a clock that moves forward with every step."""

    def __init__(self, omg: Omgeving, start: dt.datetime) -> None:
        self.omg = omg
        self.klok = start
        self.kenmerk = ""

    async def doe(
        self, wie: str, actie: Callable[..., Awaitable[Any]], *args: Any, uren: float = 2
    ) -> Any:
        """`actie(ctx, toegang, *args)` as `wie`, some hours after the previous step."""
        self.klok += dt.timedelta(hours=uren)
        async with self.omg.als(medewerker_id(wie), "demo.casus", nu=self.klok) as ctx:
            toegang = await casus_toegang(ctx, self.kenmerk)
            return await actie(ctx, toegang, *args)

    async def tweede_paar_ogen(self, auteur: str, leerpunt: Any) -> None:
        """Approve a shared verhaal as the first medewerker of the casusteam who is not its
        author (four-eyes)."""
        self.klok += dt.timedelta(hours=6)
        for wie in ("peter", "marieke", "karim", "eva", "sanne", "joost"):
            if wie == auteur:
                continue
            async with self.omg.als(medewerker_id(wie), "demo.casus", nu=self.klok) as ctx:
                try:
                    toegang = await casus_toegang(ctx, self.kenmerk, lezen=False)
                except NietGevonden:
                    continue
                if toegang.rechten.bewerken:
                    await leren.verhaal_goedkeuren(ctx, toegang, leerpunt.id, leerpunt.versie)
                    return
        raise RuntimeError(f"no second medewerker to approve the verhaal of {self.kenmerk}")

    async def aanmelden(self, wie: str, invoer: dict[str, Any]) -> None:
        async with self.omg.als(medewerker_id(wie), "demo.casus", nu=self.klok) as ctx:
            casus = await casussen.aanmelden(ctx, CasusNieuw.model_validate(invoer))
            self.kenmerk = casus.kenmerk

    async def fase(self, wie: str, naar: str, uren: float = 2, **extra: Any) -> None:
        invoer = FaseOvergangNieuw.model_validate({"naar": naar, **extra})
        await self.doe(wie, casussen.fase_wijzigen, invoer, uren=uren)

    async def wijzig(self, wie: str, uren: float = 2, **velden: Any) -> None:
        invoer = CasusWijziging.model_validate(velden)
        await self.doe(wie, _casus_wijzigen, invoer, uren=uren)


def _nieuw(model: Any, velden: dict[str, Any]) -> Any:
    return model.model_validate(velden)


def kleine_pdf(regels: list[str]) -> bytes:
    """A valid one-page PDF with these lines of text (Helvetica), built by hand: the demo's
    bijlage, and the tests' real PDF. Offsets in the xref table are counted, not guessed."""

    def veilig(tekst: str) -> str:
        return tekst.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    tekst = "BT /F1 14 Tf 72 770 Td 18 TL " + " ".join(f"({veilig(r)}) '" for r in regels) + " ET"
    objecten = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R "
        ">> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(tekst.encode('latin-1'))} >>\nstream\n{tekst}\nendstream",
    ]
    uit = bytearray(b"%PDF-1.4\n")
    posities = []
    for i, obj in enumerate(objecten, start=1):
        posities.append(len(uit))
        uit += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(uit)
    uit += f"xref\n0 {len(objecten) + 1}\n0000000000 65535 f \n".encode()
    for positie in posities:
        uit += f"{positie:010d} 00000 n \n".encode()
    uit += (
        f"trailer\n<< /Size {len(objecten) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(uit)


async def _bijlage(
    ctx: Werkcontext, toegang: CasusToegang, naam: str, omschrijving: str, inhoud: bytes
) -> Any:
    invoer = bijlagen.BijlageNieuw(naam, omschrijving, inhoud, bijlagesoorten.soort(inhoud))
    return await bijlagen.toevoegen(ctx, toegang, invoer)


async def lekkende_woning(omg: Omgeving, start: dt.datetime) -> str:
    """Step by step the example of api.md, to afgesloten / opgelost."""
    v = Verloop(omg, start)
    await v.aanmelden(
        "sanne",
        {
            "titel": "Lekkende huurwoning, gezin in de kou",
            "situatie": (
                "Het dak van de huurwoning lekt sinds september. Vastgoed wil eerst een rapport en "
                "een duurzaam plan; Sociaal Domein wil het deze week opgelost, want het gezin met "
                "drie kinderen zit in de kou en de kinderen verzuimen school."
            ),
            "urgentie": "hoog",
            "huishoudenNaam": "Familie Demir",
            "bsn": DEMO_BSNS[0],
        },
    )
    regie_invoer = _nieuw(
        RegieNieuw,
        {"medewerker": str(medewerker_id("karim")), "reden": "Casusregisseur Sociaal Domein"},
    )
    await v.doe("sanne", regie.regie_toewijzen, regie_invoer)
    for afdeling, contact, standpunt in (
        (
            "vastgoed",
            "joost",
            "Eerst een bouwkundig rapport en een duurzaam plan; een noodreparatie lost niets op.",
        ),
        (
            "sociaal-domein",
            "sanne",
            "Het gezin zit in de kou en de kinderen verzuimen school: deze week dicht, zo goedkoop "
            "als kan.",
        ),
    ):
        d = _nieuw(
            DeelnameNieuw,
            {
                "afdeling": afdeling,
                "contactpersoon": str(medewerker_id(contact)),
                "standpunt": standpunt,
            },
        )
        await v.doe("karim", regie.deelname_toevoegen, d)
    posten = {}
    for organisatie_naam, leefgebied, kosten in (
        ("Woningcorporatie (noodreparaties en overlast)", "wonen", 1_200_000),
        ("GGD (gezondheidsklachten door vocht)", "gezondheid", 450_000),
        ("Schuldhulpverlening (energieschuld)", "financien", 800_000),
    ):
        b = _nieuw(
            BetrokkeneNieuw,
            {
                "organisatie": organisatie_naam,
                "leefgebied": leefgebied,
                "kostenPerJaarCent": kosten,
            },
        )
        posten[leefgebied] = await v.doe("karim", afpellen.betrokkene_toevoegen, b, uren=1)
    await v.fase("karim", "in_kaart")
    # The cost ledger: who pays the current costs, and the threat (a scenario, never summed).
    for velden in (
        {
            "post": str(posten["financien"].id),
            "omschrijving": "Schuldhulpverlening (energieschuld)",
            "leefgebied": "financien",
            "afdeling": "schuldhulp",
            "soort": "huidig",
            "bedragCent": 800_000,
        },
        {
            "omschrijving": "Tijdelijke huisvesting als de woning onbewoonbaar wordt verklaard",
            "leefgebied": "wonen",
            "afdeling": "wonen",
            "soort": "dreigend",
            "bedragCent": 3_650_000,
        },
        {
            "omschrijving": "Leerplicht en schoolmaatschappelijk werk (verzuim)",
            "leefgebied": "onderwijs",
            "afdeling": "sociaal-domein",
            "soort": "huidig",
            "bedragCent": 300_000,
        },
    ):
        await v.doe("karim", kostenboek.regel_toevoegen, _nieuw(KostenregelNieuw, velden), uren=1)
    # Leaving in_kaart takes the nulmeting.
    await v.fase("karim", "perspectief", 20)
    await _perspectiefplan(v)
    await v.fase("karim", "afpellen", 24)
    await v.wijzig("karim", doorbraak="Het dak: zolang het lekt, lukt niets anders.")
    for knelpunt in (
        {
            "soort": "regel",
            "niveau": "systeem",
            "afdeling": "vastgoed",
            "omschrijving": "Het inkoopbeleid van Vastgoed vraagt drie offertes; dat kost weken.",
            "regel": str(regel_id("offertes")),
        },
        {
            "soort": "samenwerking",
            "niveau": "professional",
            "omschrijving": "Er is geen gedeeld budget tussen Vastgoed en Sociaal Domein.",
        },
    ):
        kp = _nieuw(KnelpuntNieuw, knelpunt)
        await v.doe("karim", afpellen.knelpunt_toevoegen, kp)
    await v.fase("karim", "maatwerk", 20)
    besluit_invoer = _nieuw(
        BesluitNieuw,
        {
            "omschrijving": "Het dak deze week repareren via de raamaannemer; het rapport volgt.",
            "motivering": "Het gezin zit in de kou; het rapport en het duurzame plan kunnen daarna.",
            "kostenEenmaligCent": 1_850_000,
            "betalendeAfdeling": "vastgoed",
        },
    )
    besluit = await v.doe("karim", maatwerk.besluit_opstellen, besluit_invoer)
    # The conversation beside the tijdlijn: a note that mentions joost (an item in his inbox).
    notitie = _nieuw(
        NotitieNieuw,
        {
            "tekst": "@joost kun jij de raamaannemer vandaag nog bellen? Dan weten we of het dak "
            "deze week dicht kan."
        },
    )
    await v.doe("karim", notities.notitie_plaatsen, notitie, uren=1)
    # The raamaannemer's offerte as a bijlage on the casus (a small PDF made here).
    offerte = kleine_pdf(
        [
            "Offerte dakreparatie",
            "Raamaannemer Dak & Goot",
            "Herstel dakbedekking en goot, inclusief steiger: EUR 18.500,00",
            "Uitvoering binnen vijf werkdagen na opdracht.",
        ]
    )
    await v.doe(
        "karim",
        _bijlage,
        "offerte-dakreparatie.pdf",
        "Offerte van de raamaannemer voor het dak",
        offerte,
        uren=1,
    )
    for wie, afdeling, oordeel, toelichting in (
        (
            "joost",
            "vastgoed",
            "bezwaar",
            "Zonder rapport repareren we misschien het verkeerde; dat kost later meer.",
        ),
        ("sanne", "sociaal-domein", "akkoord", "Precies wat het gezin nu nodig heeft."),
    ):
        r = _nieuw(
            ReactieNieuw, {"afdeling": afdeling, "reactie": oordeel, "toelichting": toelichting}
        )
        await v.doe(wie, maatwerk.reageren, besluit.id, r, uren=5)
    afwijking_invoer = _nieuw(
        AfwijkingNieuw,
        {
            "besluit": str(besluit.id),
            "regel": str(regel_id("offertes")),
            "watDeRegelZegt": "Boven EUR 10.000 vraagt inkoop drie offertes.",
            "watWeDoen": "We gunnen direct aan de raamaannemer die al voor ons werkt.",
            "grondslag": "awb_4_84",
            "motivering": "Drie offertes kosten weken; de gevolgen voor het gezin zijn onevenredig.",
            "waardentoets": {
                "legitimiteit": "Het doel van de regel, rechtmatig en doelmatig inkopen, blijft gediend: "
                "de raamaannemer is aanbesteed.",
                "rendement": "Schoolverzuim, gezondheidsklachten en noodreparaties stoppen.",
                "betrokkenheid": "Vastgoed en Sociaal Domein zijn gehoord; het gezin wil dit.",
            },
            "risico": "midden",
            "financieelBelangCent": 1_850_000,
            "beleidssignaal": True,
        },
    )
    afwijking = await v.doe("karim", maatwerk.afwijking_voorstellen, afwijking_invoer, uren=1)
    dekking = _nieuw(
        RugdekkingNieuw,
        {
            "oordeel": "gedekt",
            "toelichting": "Binnen mijn mandaat; de afweging is zorgvuldig.",
            "mandaatReferentie": "Mandaatbesluit Vastgoed 2026, art. 3",
        },
    )
    await v.doe("marieke", maatwerk.rugdekking_geven, afwijking.id, dekking, uren=20)
    vaststellen = _nieuw(
        VaststellenInvoer,
        {
            "afweging": "Het bezwaar van Vastgoed is terecht voor de lange termijn; daarom volgt het "
            "rapport direct na de reparatie. Warmte en school gaan nu voor."
        },
    )
    await v.doe("karim", maatwerk.vaststellen, besluit.id, vaststellen, uren=4)
    await v.fase("karim", "uitvoering", 1)
    await _stappen_afronden(
        v,
        "karim",
        [
            ("Dak repareren via de raamaannemer", "vastgoed", "joost"),
            ("Bouwkundig rapport laten opstellen", "vastgoed", "joost"),
            ("Gezin en school informeren", "sociaal-domein", "sanne"),
        ],
    )
    # Commitments outside the organisation: the corporation and the household own a stap.
    klaar = _nieuw(StapWijziging, {"status": "afgerond", "bevinding": "Gedaan, nagebeld."})
    for stap_velden in (
        {"titel": "Schimmel in de kinderkamer behandelen", "externePartij": SLEUTEL},
        {"titel": "Huur via automatische incasso betalen", "huishouden": True},
    ):
        stap = await v.doe("karim", afpellen.stap_toevoegen, _nieuw(StapNieuw, stap_velden))
        await v.doe("karim", _stap_afronden, stap.id, klaar, uren=72)
    # Nazorg: a call two weeks after closing, then evaluations 3, 6 and 12 months after it.
    # None of them keeps the casus in uitvoering; the casus is closed before they are due.
    bellen = await v.doe(
        "karim",
        afpellen.stap_toevoegen,
        _nieuw(
            StapNieuw,
            {
                "titel": "Twee weken na afsluiten: bellen met het gezin",
                "soort": "nazorg",
                "eigenaar": str(medewerker_id("sanne")),
                "deadlineDatum": (v.klok + dt.timedelta(days=20)).date().isoformat(),
            },
        ),
    )
    for maanden in (3, 6, 12):
        await v.doe(
            "karim",
            afpellen.stap_toevoegen,
            _nieuw(
                StapNieuw,
                {
                    "titel": f"Evaluatie {maanden} maanden na afsluiten",
                    "soort": "nazorg",
                    "nazorgVanaf": "afsluiten",
                    "nazorgMaanden": maanden,
                    "eigenaar": str(medewerker_id("karim")),
                },
            ),
        )
    await v.fase("karim", "evaluatie", 24)
    # Evaluation: what muddling on still costs now that the roof is fixed.
    for velden in (
        {
            "post": str(posten["wonen"].id),
            "omschrijving": "Woningcorporatie (noodreparaties en overlast)",
            "leefgebied": "wonen",
            "soort": "gerealiseerd",
            "bedragCent": 100_000,
            "moment": "bij de evaluatie",
        },
        {
            "post": str(posten["gezondheid"].id),
            "omschrijving": "GGD (gezondheidsklachten door vocht)",
            "leefgebied": "gezondheid",
            "soort": "gerealiseerd",
            "bedragCent": 50_000,
            "moment": "bij de evaluatie",
        },
    ):
        await v.doe("karim", kostenboek.regel_toevoegen, _nieuw(KostenregelNieuw, velden), uren=1)
    gedeeld: Any = None
    for leerpunt in (
        {
            "soort": "systeem",
            "voorWie": "Inkoop en Vastgoed",
            "tekst": "Spoedreparaties voor inwoners in nood: één offerte van een raamaannemer "
            "volstaat.",
        },
        {
            "soort": "succes",
            "delen": True,
            "toestemmingHuishouden": True,
            "voorWie": "Alle wijkteams",
            "tekst": "Eén regiehouder, één afweging op papier en rugdekking van een leidinggevende: "
            "het dak was binnen een week dicht en de kinderen gingen weer naar school.",
        },
        {
            "soort": "verbetering",
            "voorWie": "Casusregisseurs",
            "tekst": "Vraag het bouwkundig rapport meteen bij het besluit aan, niet erna.",
        },
    ):
        lp = _nieuw(LeerpuntNieuw, leerpunt)
        gemaakt = await v.doe("karim", leren.leerpunt_toevoegen, lp, uren=3)
        if gemaakt.delen:
            gedeeld = gemaakt
    await v.fase(
        "karim",
        "afgesloten",
        24,
        afsluitreden="opgelost",
        toelichting="Dak dicht, gezin warm, kinderen naar school.",
    )
    # Four-eyes: the leidinggevende of Vastgoed approves the verhaal, after closing.
    await v.doe("marieke", leren.verhaal_goedkeuren, gedeeld.id, gedeeld.versie, uren=20)
    # Nazorg on the closed casus, without reopening it.
    gebeld = _nieuw(
        StapWijziging,
        {"status": "afgerond", "bevinding": "Het dak houdt, de kinderen gaan naar school."},
    )
    await v.doe("sanne", _stap_afronden, bellen.id, gebeld, uren=24 * 12)
    # Two weeks on (after closing, without reopening): the school costs are measured too.
    schoolpost = next(
        r
        for r in await v.doe("karim", _posten_in_kracht, uren=0)
        if r.omschrijving.startswith("Leerplicht")
    )
    nazorg = _nieuw(
        KostenregelNieuw,
        {
            "post": str(schoolpost.post),
            "omschrijving": schoolpost.omschrijving,
            "leefgebied": "onderwijs",
            "afdeling": "sociaal-domein",
            "soort": "gerealiseerd",
            "bedragCent": 0,
            "moment": "nazorg, 2 weken na afsluiten",
        },
    )
    await v.doe("karim", kostenboek.regel_toevoegen, nazorg, uren=24 * 14)
    return v.kenmerk


SLEUTEL = "woningcorporatie-de-sleutel"


async def _perspectiefplan(v: Verloop) -> None:
    """The household's own plan: who is in it, what they want in their own words, the
    doorbraakvraag, afspraken, the corporation at the table, and the household's consent."""
    leden = {}
    for naam_of_rol, jaar in (
        ("Moeder (Ayse)", 1988),
        ("Vader (Mehmet)", 1985),
        ("Oudste zoon", 2013),
    ):
        lid = await v.doe(
            "karim",
            huishouden.huishoudlid_toevoegen,
            _nieuw(HuishoudlidNieuw, {"naamOfRol": naam_of_rol, "geboortejaar": jaar}),
            uren=0.5,
        )
        leden[naam_of_rol] = str(lid.id)
    for leefgebied, tekst, wie in (
        ("wonen", "Dat het droog is in huis voor de winter.", "Moeder (Ayse)"),
        ("onderwijs", "Dat de kinderen weer elke dag naar school gaan.", None),
        ("gezondheid", "Dat ik niet meer hoest van de schimmel.", "Oudste zoon"),
        ("financien", "Dat de energierekening weer te betalen is.", "Vader (Mehmet)"),
    ):
        await v.doe(
            "karim",
            huishouden.doel_toevoegen,
            _nieuw(
                DoelNieuw,
                {"leefgebied": leefgebied, "tekst": tekst, "gezegdDoor": leden.get(wie or "")},
            ),
            uren=0.5,
        )
    await v.wijzig(
        "karim",
        doorbraakvraag="Wat is er nodig om het gezin deze winter warm en droog te laten wonen?",
    )
    await v.doe(
        "karim",
        huishouden.partijdeelname_toevoegen,
        _nieuw(
            PartijdeelnameNieuw,
            {
                "partij": SLEUTEL,
                "standpunt": "Wij willen de schimmel aanpakken zodra het dak dicht is; de "
                "huurachterstand regelen we met een betalingsregeling.",
                "contactpersoon": {
                    "naam": "Wijkconsulent De Sleutel",
                    "telefoon": "010 123 4567",
                    "email": "wijkconsulent@desleutel.example",
                },
            },
        ),
    )
    for afspraak in (
        {"tekst": "Wij zetten de huur op automatische incasso.", "huishouden": True},
        {
            "tekst": "De oudste zoon gaat weer elke dag naar school.",
            "huishoudlid": leden["Oudste zoon"],
        },
        {
            "tekst": "Geen ontruimingsprocedure zolang de betalingsregeling loopt.",
            "externePartij": SLEUTEL,
        },
        {"tekst": "Vastgoed repareert het dak.", "afdeling": "vastgoed"},
    ):
        await v.doe(
            "karim", huishouden.afspraak_toevoegen, _nieuw(AfspraakNieuw, afspraak), uren=0.5
        )
    await v.doe(
        "karim",
        huishouden.instemming_vastleggen,
        _nieuw(InstemmingNieuw, {"datum": v.klok.date().isoformat()}),
    )


async def _posten_in_kracht(ctx: Werkcontext, toegang: CasusToegang) -> Any:
    return await kosten_repository.in_kracht(ctx.session, toegang.casus.id)


async def _stappen_afronden(v: Verloop, wie: str, stappen: list[tuple[str, str, str]]) -> None:
    ids = []
    for titel, afdeling, eigenaar in stappen:
        s = _nieuw(
            StapNieuw,
            {"titel": titel, "afdeling": afdeling, "eigenaar": str(medewerker_id(eigenaar))},
        )
        stap = await v.doe(wie, afpellen.stap_toevoegen, s, uren=1)
        ids.append((stap.id, eigenaar))
    klaar = _nieuw(StapWijziging, {"status": "afgerond", "bevinding": "Gedaan."})
    for stap_id, eigenaar in ids:
        await v.doe(eigenaar, _stap_afronden, stap_id, klaar, uren=48)


async def _casus_wijzigen(ctx: Werkcontext, toegang: CasusToegang, invoer: CasusWijziging) -> Any:
    return await casussen.wijzigen(ctx, toegang, invoer, toegang.casus.versie)


async def _stap_afronden(
    ctx: Werkcontext, toegang: CasusToegang, stap_id: uuid.UUID, invoer: StapWijziging
) -> Any:
    stap = await afpellen.onderdeel_of_404(ctx, toegang, Stap, stap_id)
    return await afpellen.stap_wijzigen(ctx, toegang, stap_id, invoer, stap.versie)


@dataclass(frozen=True)
class DemoCasus:
    titel: str
    situatie: str
    huishouden: str
    aanmelder: str
    regiehouder: str
    afdelingen: tuple[str, ...]
    doel: str  # the fase it ends in
    regel: str | None = None
    grondslag: str = "awb_4_84"
    risico: str = "laag"
    afsluitreden: str | None = None
    knelpunten: tuple[str, ...] = ("proces",)


ANDERE_CASUSSEN = [
    DemoCasus(
        "Energieschuld, afsluiting dreigt",
        "Het energiebedrijf dreigt af te sluiten.",
        "Familie Jansen",
        "eva",
        "eva",
        ("schuldhulp", "sociaal-domein"),
        "afgesloten",
        "bijstand",
        "hardheidsclausule",
        "laag",
        "opgelost",
        ("regel", "budget"),
    ),
    DemoCasus(
        "Jongere dakloos na uitstroom jeugdzorg",
        "Achttien geworden, geen woning.",
        "Huishouden Bakker",
        "sanne",
        "karim",
        ("wonen", "sociaal-domein"),
        "evaluatie",
        "urgentie",
        "wettelijke_ruimte",
        "midden",
        None,
        ("regel", "systeem"),
    ),
    DemoCasus(
        "Terugvordering bijstand bij mantelzorg",
        "Mantelzorggeld werd als inkomen gezien.",
        "Familie de Wit",
        "karim",
        "karim",
        ("werk-en-inkomen", "sociaal-domein"),
        "uitvoering",
        "terugvordering",
        "awb_4_84",
        "midden",
        None,
        ("regel",),
    ),
    DemoCasus(
        "Schimmel in de slaapkamer",
        "Astmatisch kind, schimmel in huis.",
        "Familie Yildiz",
        "joost",
        "karim",
        ("vastgoed", "sociaal-domein"),
        "maatwerk",
        "offertes",
        "awb_4_84",
        "laag",
        None,
        ("regel", "samenwerking"),
    ),
    DemoCasus(
        "Wachttijd schuldhulp na eerder traject",
        "Nieuwe schulden na een oud traject.",
        "Huishouden Peters",
        "eva",
        "eva",
        ("schuldhulp", "werk-en-inkomen"),
        "maatwerk",
        "wachttijd",
        "buiten_kader",
        "midden",
        None,
        ("regel", "cultuur"),
    ),
    DemoCasus(
        "Traplift zonder Wmo-onderzoek",
        "Val van de trap; onderzoek duurt weken.",
        "Familie Smits",
        "sanne",
        "karim",
        ("sociaal-domein",),
        "afgesloten",
        "wmo",
        "hardheidsclausule",
        "laag",
        "opgelost",
        ("regel", "proces"),
    ),
    DemoCasus(
        "Overlast en huurachterstand",
        "Buren klagen, huur loopt achter.",
        "Huishouden Mulder",
        "joost",
        "peter",
        ("wonen", "schuldhulp"),
        "afpellen",
        None,
        knelpunten=("samenwerking", "proces"),
    ),
    DemoCasus(
        "Statushouder zonder inkomen",
        "Uitkering nog niet geregeld.",
        "Familie Haddad",
        "karim",
        "karim",
        ("werk-en-inkomen",),
        "afpellen",
        None,
        knelpunten=("systeem",),
    ),
    DemoCasus(
        "Mantelzorger overbelast",
        "Moeder zorgt alleen voor twee kinderen met een beperking.",
        "Familie Kok",
        "sanne",
        "eva",
        ("sociaal-domein",),
        "perspectief",
    ),
    DemoCasus(
        "Vader met schulden en werk",
        "Loonbeslag maakt werken onrendabel.",
        "Huishouden Visser",
        "eva",
        "eva",
        ("schuldhulp", "werk-en-inkomen"),
        "in_kaart",
    ),
    DemoCasus(
        "Ontruiming aangekondigd",
        "De corporatie kondigt ontruiming aan.",
        "Familie Hendriks",
        "joost",
        "karim",
        ("wonen",),
        "aangemeld",
    ),
    DemoCasus(
        "Gezin met vier indicaties",
        "Vier hulpverleners, geen plan.",
        "Familie de Groot",
        "sanne",
        "karim",
        ("sociaal-domein", "schuldhulp"),
        "afgesloten",
        afsluitreden="elders_belegd",
    ),
    DemoCasus(
        "Zzp'er zonder vangnet",
        "Inkomen weggevallen na ziekte.",
        "Huishouden Bos",
        "karim",
        "peter",
        ("werk-en-inkomen",),
        "aangemeld",
    ),
]

CONTACT = {
    "vastgoed": "joost",
    "sociaal-domein": "sanne",
    "schuldhulp": "eva",
    "wonen": None,
    "werk-en-inkomen": None,
}


def _rugdekker(spec: DemoCasus) -> str:
    if spec.regiehouder != "peter" and "sociaal-domein" in spec.afdelingen:
        return "peter"
    if "vastgoed" in spec.afdelingen and spec.risico != "hoog":
        return "marieke"
    return "peter"


async def andere_casus(
    omg: Omgeving, spec: DemoCasus, start: dt.datetime, rng: random.Random
) -> None:
    """Move one demo casus through the method to its target fase, with plausible waits."""
    v = Verloop(omg, start)
    gedeeld = None
    doel = Fase(spec.doel if spec.afsluitreden != "opgelost" else "evaluatie")
    if spec.afsluitreden == "elders_belegd":
        doel = Fase.in_kaart
    await v.aanmelden(
        spec.aanmelder,
        {
            "titel": spec.titel,
            "situatie": spec.situatie,
            "huishoudenNaam": spec.huishouden,
            "urgentie": rng.choice(["normaal", "hoog", "hoog", "acuut"]),
        },
    )
    voorbij = FASE_VOLGORDE.index(doel)

    def wacht() -> float:
        return rng.uniform(12, 24 * 9)

    if voorbij >= 1 or spec.afsluitreden:
        r = _nieuw(RegieNieuw, {"medewerker": str(medewerker_id(spec.regiehouder))})
        await v.doe(spec.aanmelder, regie.regie_toewijzen, r, uren=rng.uniform(1, 30))
        await v.fase(spec.regiehouder, "in_kaart", 1)
    rh = spec.regiehouder
    if voorbij >= 2:
        for afdeling in spec.afdelingen:
            contact = CONTACT[afdeling]
            d = _nieuw(
                DeelnameNieuw,
                {
                    "afdeling": afdeling,
                    "standpunt": "Wil meewerken.",
                    **({"contactpersoon": str(medewerker_id(contact))} if contact else {}),
                },
            )
            await v.doe(rh, regie.deelname_toevoegen, d, uren=1)
            b = _nieuw(
                BetrokkeneNieuw,
                {
                    "organisatie": f"Hulp via {afdeling}",
                    "leefgebied": rng.choice(["wonen", "financien", "zorg"]),
                    "kostenPerJaarCent": rng.randrange(200, 4000) * 1000,
                },
            )
            await v.doe(rh, afpellen.betrokkene_toevoegen, b, uren=1)
        await v.fase(rh, "perspectief", wacht())
    if voorbij >= 3:
        await v.doe(
            rh,
            huishouden.doel_toevoegen,
            _nieuw(
                DoelNieuw,
                {"leefgebied": "wonen", "tekst": "Binnen een jaar stabiel wonen en een inkomen."},
            ),
        )
        await v.fase(rh, "afpellen", wacht())
    if voorbij >= 4:
        await v.wijzig(rh, doorbraak="Eerst de grootste zorg weg, dan de rest.")
        for soort in spec.knelpunten:
            kp = _nieuw(
                KnelpuntNieuw,
                {
                    "soort": soort,
                    "niveau": "systeem" if soort in ("regel", "systeem") else "professional",
                    "omschrijving": f"Knelpunt ({soort}) in deze casus.",
                    **(
                        {"regel": str(regel_id(spec.regel))}
                        if soort == "regel" and spec.regel
                        else {}
                    ),
                },
            )
            await v.doe(rh, afpellen.knelpunt_toevoegen, kp, uren=2)
        await v.fase(rh, "maatwerk", wacht())
    if voorbij >= 4 and spec.regel:
        await _besluit_met_afwijking(v, spec, rng, vaststellen=voorbij >= 5)
    if voorbij >= 5:
        await v.fase(rh, "uitvoering", 1)
    if voorbij >= 6:
        await _stappen_afronden(v, rh, [("Afspraken uitvoeren", spec.afdelingen[0], rh)])
        await v.fase(rh, "evaluatie", wacht())
        soort = "systeem" if spec.regel else "verbetering"
        lp = _nieuw(
            LeerpuntNieuw,
            {
                "soort": soort,
                "voorWie": "Beleid",
                "tekst": "Deze regel past niet bij huishoudens in nood; maak ruimte voor maatwerk.",
            },
        )
        await v.doe(rh, leren.leerpunt_toevoegen, lp, uren=4)
        if spec.afsluitreden == "opgelost":
            succes = _nieuw(
                LeerpuntNieuw,
                {
                    "soort": "succes",
                    "delen": True,
                    "toestemmingHuishouden": True,
                    "tekst": f"{spec.titel}: opgelost door samen één "
                    "besluit te nemen in plaats van elk apart.",
                },
            )
            gedeeld = await v.doe(rh, leren.leerpunt_toevoegen, succes, uren=2)
    if spec.afsluitreden:
        await v.fase(
            rh, "afgesloten", wacht(), afsluitreden=spec.afsluitreden, toelichting="Afgerond."
        )
    if gedeeld is not None:
        await v.tweede_paar_ogen(rh, gedeeld)


async def _besluit_met_afwijking(
    v: Verloop, spec: DemoCasus, rng: random.Random, *, vaststellen: bool
) -> None:
    rh = spec.regiehouder
    bedrag = rng.randrange(5, 20) * 100_000
    b = _nieuw(
        BesluitNieuw,
        {
            "omschrijving": "Maatwerk: de regel wijkt voor deze situatie.",
            "motivering": "De regel dient hier zijn eigen doel niet.",
            "kostenEenmaligCent": bedrag,
            "kostenPerJaarCent": rng.randrange(0, 10) * 50_000,
            "betalendeAfdeling": spec.afdelingen[0],
        },
    )
    besluit = await v.doe(rh, maatwerk.besluit_opstellen, b, uren=6)
    assert spec.regel is not None
    a = _nieuw(
        AfwijkingNieuw,
        {
            "besluit": str(besluit.id),
            "regel": str(regel_id(spec.regel)),
            "watDeRegelZegt": "De regel schrijft de standaardroute voor.",
            "watWeDoen": "We wijken af voor dit huishouden.",
            "grondslag": spec.grondslag,
            "motivering": "Onevenredige gevolgen voor het huishouden.",
            "waardentoets": {
                "legitimiteit": "Doel van de regel blijft gediend.",
                "rendement": "Minder kosten doormodderen.",
                "betrokkenheid": "Afdelingen gehoord.",
            },
            "risico": spec.risico,
            "financieelBelangCent": bedrag,
            "beleidssignaal": spec.grondslag in ("hardheidsclausule", "buiten_kader"),
        },
    )
    afwijking = await v.doe(rh, maatwerk.afwijking_voorstellen, a, uren=2)
    if spec.grondslag == "buiten_kader":
        # The bestuur decides on this afwijking; until it answers, rugdekking waits.
        e = _nieuw(
            EscalatieNieuw,
            {
                "niveau": "bestuur",
                "reden": "Afwijking buiten kader.",
                "betreft": {"afwijkingen": [str(afwijking.id)]},
            },
        )
        await v.doe(rh, regie.escaleren, e, uren=2)
    if not vaststellen:
        if spec.grondslag != "buiten_kader":
            # Still in maatwerk: the regiehouder asked the first kandidaat for rugdekking.
            await v.doe(rh, _rugdekking_vragen, afwijking.id, uren=3)
        return
    await _afdelingen_horen(v, spec, besluit.id)
    d = _nieuw(RugdekkingNieuw, {"oordeel": "gedekt", "toelichting": "Binnen mandaat."})
    await v.doe(
        _rugdekker(spec), maatwerk.rugdekking_geven, afwijking.id, d, uren=rng.uniform(4, 72)
    )
    vs = _nieuw(VaststellenInvoer, {"afweging": "Alle standpunten gewogen."})
    await v.doe(rh, maatwerk.vaststellen, besluit.id, vs, uren=rng.uniform(2, 48))


async def _rugdekking_vragen(
    ctx: Werkcontext, toegang: CasusToegang, afwijking_id: uuid.UUID
) -> None:
    kandidaten = await rugdekking_lezen.kandidaten(ctx, toegang, afwijking_id)
    invoer = _nieuw(
        RugdekkingsverzoekNieuw,
        {
            "afwijking": str(afwijking_id),
            "aan": str(kandidaten[0].medewerker.id),
            "toelichting": "Wilt u naar deze afwijking kijken? Het huishouden wacht.",
        },
    )
    await rugdekking.verzoek_sturen(ctx, invoer)


async def mandaat_afbakenen(omg: Omgeving, nu: dt.datetime) -> None:
    """The beheerder narrows marieke's mandaat to the regels of vastgoed and wonen and to the
    inkoopbeleid (a mandaatscope; narrowing is a direct change, widening takes four eyes)."""
    async with omg.als(medewerker_id("bram"), "demo.mandaat", nu=nu) as ctx:
        marieke = await organisatie.medewerker_of_404(ctx, medewerker_id("marieke"))
        invoer = _nieuw(
            MedewerkerWijziging,
            {
                "mandaat": {
                    "maxBedragCent": marieke.mandaat_max_bedrag_cent,
                    "maxRisico": marieke.mandaat_max_risico,
                    "afdelingen": ["vastgoed", "wonen"],
                    "regelingen": ["Inkoop- en aanbestedingsbeleid"],
                }
            },
        )
        await organisatie.medewerker_wijzigen(ctx, marieke.id, invoer, marieke.versie)


async def _afdelingen_horen(v: Verloop, spec: DemoCasus, besluit_id: uuid.UUID) -> None:
    """Every participating afdeling is heard before the besluit is fixed: its contactpersoon
    reacts, or the regiehouder passes it over with a reason."""
    for afdeling in spec.afdelingen:
        contact = CONTACT[afdeling]
        if contact is not None:
            r = _nieuw(ReactieNieuw, {"afdeling": afdeling, "reactie": "akkoord"})
            await v.doe(contact, maatwerk.reageren, besluit_id, r, uren=3)
        else:
            o = _nieuw(
                OverslagNieuw,
                {
                    "afdeling": afdeling,
                    "reden": "Geen contactpersoon op de casus; het standpunt uit de deelname is "
                    "meegewogen.",
                },
            )
            await v.doe(spec.regiehouder, maatwerk.overslaan, besluit_id, o, uren=1)


async def casussen_laden(omg: Omgeving) -> None:
    """Seeded and deterministic; the clock runs up to about today. Shared verhalen pass the
    Dutch de-identification, so this waits (here, not in a request) until deduce is ready."""
    if not anonimiteit.wacht_tot_gereed(timeout=900):
        raise RuntimeError(
            f"Dutch de-identification (deduce) is not available: {anonimiteit.status()}"
        )
    # The demo's events are history addressed to demo medewerkers: none of them is mailed.
    omg = dataclasses.replace(omg, meldingen=False)
    rng = random.Random(2026)
    vandaag = dt.datetime.now(dt.UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    await regels_laden(omg, vandaag - dt.timedelta(days=200))
    await partijen_laden(omg, vandaag - dt.timedelta(days=200))
    await lekkende_woning(omg, vandaag - dt.timedelta(days=45))
    for i, spec in enumerate(ANDERE_CASUSSEN):
        start = vandaag - dt.timedelta(days=150 - i * 9 + rng.randrange(0, 5))
        await andere_casus(omg, spec, start, rng)
    await mandaat_afbakenen(omg, vandaag)
    await beleid_antwoordt(omg, vandaag - dt.timedelta(days=3))


async def beleid_antwoordt(omg: Omgeving, nu: dt.datetime) -> None:
    """Beleid closes the loop: the offertes rule gets a second version because of the signals
    of the lekkende woning (its afwijking and its systeem-leerpunt); one other signal is
    deliberately left as it is, with the reason, and one is being looked into."""
    async with omg.als(medewerker_id("fatima"), "demo.beleid", nu=nu) as ctx:
        wachtend = await leren_lezen.signalen_wachtend_op_beleid(ctx, 500)
        offertes = [
            s
            for s in wachtend
            if (s.regel is not None and s.regel.id == regel_id("offertes"))
            or (s.tekst is not None and "raamaannemer volstaat" in s.tekst)
        ]
        versie = RegelversieNieuw.model_validate(
            {
                "tekst": "Boven EUR 10.000 vraagt inkoop drie offertes. Bij een spoedreparatie "
                "voor een huishouden in nood volstaat één offerte van een aanbestede "
                "raamaannemer; de regiehouder legt de spoed vast.",
                "reden": "Drie offertes kostten bij spoedreparaties weken die een gezin niet heeft; "
                "de raamaannemer is al aanbesteed, dus het doel van de regel blijft gediend.",
                "geldigVan": (nu - dt.timedelta(days=9)).date().isoformat(),
                "signalen": [str(s.id) for s in offertes],
            }
        )
        await leren.regelversie_vaststellen(ctx, regel_id("offertes"), versie)
        overig = [s for s in wachtend if s not in offertes]
        if overig:
            await leren.signaal_behandelen(
                ctx,
                overig[0].id,
                BeleidssignaalWijziging.model_validate(
                    {
                        "signaalStatus": "niet_aangepast",
                        "reactie": "De regel blijft: hij beschermt tegen dubbele verstrekking. "
                        "Wel maakt het team de hardheidsclausule bekend bij de wijkteams.",
                    }
                ),
                overig[0].versie,
            )
        if len(overig) > 1:
            await leren.signaal_behandelen(
                ctx,
                overig[1].id,
                BeleidssignaalWijziging.model_validate({"signaalStatus": "in_behandeling"}),
                overig[1].versie,
            )


def _print_tokens() -> None:
    print("Demo-tokens (alleen in ontwikkelmodus):")
    for m in MEDEWERKERS:
        print(f"  {m.token:<16} {m.naam} ({', '.join(m.rollen)}, {m.afdeling})")
