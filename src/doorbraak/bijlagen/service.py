"""Rules of bijlagen: the casusteam (and a leidinggevende of a participating afdeling) adds,
reads and removes them; a stranger to the casus gets 404 as for the casus itself. Adding and
removing need an open casus (409 `casus-gesloten`), reading does not. A file is accepted by what
its content is (`soorten.py`), up to `bijlage_max_bytes` (413). The tijdlijn records each
upload, download and removal with the file's name, type, size and hash, never its content.

Removing is final (the bytes are gone: no copy is kept that the team can no longer see); the
tijdlijn keeps that it existed.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pydantic import ValidationError

from doorbraak.auth import policy
from doorbraak.bijlagen import repository, soorten
from doorbraak.bijlagen.schemas import BijlageGegevens
from doorbraak.casussen.toegang import NIET_ZICHTBAAR, CasusToegang
from doorbraak.config import Settings
from doorbraak.errors import (
    MediatypeGeweigerd,
    NietGevonden,
    OngeldigeInvoer,
    TeGroot,
    validation_params,
)
from doorbraak.kit.etag import controleer_versie
from doorbraak.models import Bijlage
from doorbraak.werk.context import Werkcontext, wijziging

# The routes that take a file (the API's and the web form's): TransportMiddleware lets exactly
# these through as multipart/form-data, up to `uploadgrens` instead of `max_body_bytes`.
UPLOAD_PADEN = re.compile(r"^(/api/v1)?/casussen/[^/]+/bijlagen$")
# Room for the multipart envelope around the file: part headers, the omschrijving, the CSRF
# token of the web form. The file itself is held to the exact limit after parsing.
ENVELOP = 64 * 1024
# The text fields of the form (omschrijving, csrf) are small; a larger one is refused (400).
MAX_VELD = 8 * 1024


def uploadgrens(settings: Settings) -> int:
    return settings.bijlage_max_bytes + ENVELOP


def leesbare_grootte(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB" if n % (1024 * 1024) == 0 else f"{n / 1048576:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} bytes"


def eis_zien(toegang: CasusToegang) -> None:
    """Off the casusteam (an auditor's read, a rugdekkingsverzoek): as if there were none."""
    if not policy.bijlage_acties(toegang.casus, toegang.rechten).zien:
        raise NietGevonden(NIET_ZICHTBAAR)


def eis_toevoegen(toegang: CasusToegang) -> None:
    """Checked before the form is parsed: a stranger's upload is refused without parsing it."""
    eis_zien(toegang)
    policy.bijlage_acties(toegang.casus, toegang.rechten).toevoegen.eis()


@dataclass(frozen=True)
class BijlageNieuw:
    bestandsnaam: str
    omschrijving: str | None
    inhoud: bytes
    mediatype: str


def _naam(ruw: str) -> str:
    """Only the last part of a path a browser or client may send (`C:\\map\\brief.pdf`)."""
    naam = PurePosixPath(ruw.replace("\\", "/")).name.strip()
    if len(naam) > 255:
        stam, punt, ext = naam.rpartition(".")
        naam = (stam[: 254 - len(ext)] + punt + ext) if punt and len(ext) <= 10 else naam[:255]
    return naam


async def uit_formulier(form: Mapping[str, Any], settings: Settings) -> BijlageNieuw:
    """The upload from a parsed multipart form: one part `bestand` (a file), optionally
    `omschrijving`. The content is read up to one byte past the limit, never further."""
    bestand = form.get("bestand")
    if bestand is None or isinstance(bestand, str) or not hasattr(bestand, "read"):
        raise OngeldigeInvoer(
            [{"name": "bestand", "code": "verplicht", "reason": "stuur een bestand (multipart)"}]
        )
    omschrijving = form.get("omschrijving")
    if omschrijving is not None and not isinstance(omschrijving, str):
        raise OngeldigeInvoer(
            [{"name": "omschrijving", "code": "geen-tekst", "reason": "tekst, geen bestand"}]
        )
    try:
        gegevens = BijlageGegevens.model_validate(
            {
                "bestandsnaam": _naam(str(getattr(bestand, "filename", "") or "")),
                "omschrijving": omschrijving.strip() if omschrijving else None,
            }
        )
    except ValidationError as exc:
        raise OngeldigeInvoer(validation_params(exc.errors())) from exc
    grens = settings.bijlage_max_bytes
    try:
        inhoud = bytes(await bestand.read(grens + 1))
    finally:
        # The part may have spilled to a temporary file: gone as soon as it is read.
        await bestand.close()
    if len(inhoud) > grens:
        raise TeGroot(
            f"Het bestand is groter dan {leesbare_grootte(grens)} ({grens} bytes).",
            grensBytes=grens,
        )
    try:
        mediatype = soorten.soort(inhoud)
    except soorten.Geweigerd as exc:
        if exc.code == "leeg-bestand":
            raise OngeldigeInvoer(
                [{"name": "bestand", "code": exc.code, "reason": str(exc)}]
            ) from exc
        raise MediatypeGeweigerd(f"{exc} Toegestaan: {soorten.TOEGESTAAN}.", code=exc.code) from exc
    return BijlageNieuw(gegevens.bestandsnaam, gegevens.omschrijving or None, inhoud, mediatype)


def _kenmerken(b: Bijlage) -> dict[str, Any]:
    """What the tijdlijn keeps of a file: never its content."""
    return {
        "bestandsnaam": b.bestandsnaam,
        "mediatype": b.mediatype,
        "grootte": b.grootte,
        "sha256": b.sha256,
    }


async def toevoegen(ctx: Werkcontext, toegang: CasusToegang, invoer: BijlageNieuw) -> Bijlage:
    eis_toevoegen(toegang)
    bijlage = Bijlage(
        casus_id=toegang.casus.id,
        bestandsnaam=invoer.bestandsnaam,
        omschrijving=invoer.omschrijving,
        mediatype=invoer.mediatype,
        grootte=len(invoer.inhoud),
        sha256=hashlib.sha256(invoer.inhoud).hexdigest(),
        inhoud=invoer.inhoud,
        toegevoegd_door_id=ctx.actor.id,
        toegevoegd_op=ctx.nu,
    )
    ctx.session.add(bijlage)
    await ctx.session.flush()
    ctx.tijdlijn(
        toegang.casus.id,
        "bijlage.toegevoegd",
        "bijlage",
        bijlage.id,
        {k: wijziging(None, v) for k, v in _kenmerken(bijlage).items()},
    )
    return bijlage


async def bijlage_of_404(ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID) -> Bijlage:
    eis_zien(toegang)
    gevonden = await repository.bijlage(ctx.session, toegang.casus.id, id_)
    if gevonden is None:
        raise NietGevonden("Deze bijlage bestaat niet bij deze casus.")
    return gevonden


async def downloaden(
    ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID
) -> tuple[Bijlage, bytes]:
    """The content, and a tijdlijn entry that it was downloaded (the request's logboek entry
    names the bijlage too): also on a closed casus."""
    bijlage = await bijlage_of_404(ctx, toegang, id_)
    inhoud = await repository.inhoud(ctx.session, bijlage.id)
    ctx.tijdlijn(toegang.casus.id, "bijlage.gedownload", "bijlage", bijlage.id, {})
    return bijlage, inhoud


async def verwijderen(
    ctx: Werkcontext, toegang: CasusToegang, id_: uuid.UUID, versie: int | None
) -> None:
    bijlage = await bijlage_of_404(ctx, toegang, id_)
    policy.bijlage_acties(toegang.casus, toegang.rechten).verwijderen.eis()
    controleer_versie(versie, bijlage.versie)
    ctx.tijdlijn(
        toegang.casus.id,
        "bijlage.verwijderd",
        "bijlage",
        bijlage.id,
        {k: wijziging(v, None) for k, v in _kenmerken(bijlage).items()},
    )
    await ctx.session.delete(bijlage)
    await ctx.session.flush()
