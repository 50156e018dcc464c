"""Forms: browser form fields -> the API's own input models, and errors -> the right field.

Form fields carry the API's JSON names (camelCase; nested as `waardentoets.legitimiteit`), so an
`OngeldigeInvoer.invalidParams` name points straight at the field it is about. Amounts are typed
in euros and sent to the services as cents, as the API takes them.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_camel

from doorbraak.errors import DoorbraakError, OngeldigeInvoer, validation_params
from doorbraak.kit.bsn import bsns_in_tekst
from doorbraak.kit.schema import Invoer, kern, schoon

InvoerT = TypeVar("InvoerT", bound=Invoer)

BEVESTIGING = "Vink aan dat u dit zeker weet: deze stap is definitief."


def eis_bevestiging(form: Mapping[str, Any]) -> None:
    """A final action is carried out only with its "bevestigd" box ticked (`bevestig` in
    _velden.html): checked here, so it holds without JavaScript."""
    if form.get("bevestigd") != "on":
        raise OngeldigeInvoer(
            [{"name": "bevestigd", "code": "bevestiging-ontbreekt", "reason": BEVESTIGING}]
        )


# Pydantic's messages are English; people read Dutch. Anything not listed keeps the API's reason.
MELDINGEN = {
    "missing": "Vul dit veld in.",
    "string_too_short": "Vul dit veld in.",
    "string_too_long": "Deze tekst is te lang.",
    "enum": "Kies een van de mogelijkheden.",
    "literal_error": "Kies een van de mogelijkheden.",
    "uuid_parsing": "Kies een waarde uit de lijst.",
    "uuid_type": "Kies een waarde uit de lijst.",
    "greater_than_equal": "Dit bedrag mag niet negatief zijn.",
    "less_than_equal": "Dit bedrag is te groot.",
    "string_pattern_mismatch": "Deze waarde heeft niet de juiste vorm.",
    "date_from_datetime_parsing": "Vul een datum in als JJJJ-MM-DD.",
    "date_parsing": "Vul een datum in als JJJJ-MM-DD.",
}


def veldnaam(naam: str) -> str:
    """`kosten_per_jaar_cent` and `kostenPerJaarCent` name the same field."""
    return ".".join(to_camel(deel) for deel in naam.split("."))


def mensennaam(naam: str) -> str:
    """`waardentoets.legitimiteit` or `besluitUiterlijkDatum` as words, for an error that
    belongs to no field on the form: "Besluit uiterlijk datum"."""
    laatste = naam.rsplit(".", 1)[-1] or "invoer"
    woorden = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", laatste).replace("_", " ").lower()
    woorden = re.sub(r"\s+cent$", "", woorden)
    return woorden[:1].upper() + woorden[1:]


def melding(param: Mapping[str, str]) -> str:
    code = param.get("code", "")
    if code in MELDINGEN:
        return MELDINGEN[code]
    reden = param.get("reason", "ongeldig")
    reden = reden.removeprefix("Value error, ")
    return reden[:1].upper() + reden[1:] if reden else "Ongeldig."


def _euro_naar_cent(tekst: str) -> int:
    """`1.250,50`, `1250,50`, `1250.5`, `18.500`, `€ 1250` -> cents (Dutch notation first)."""
    schoon = tekst.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", schoon):
        schoon = schoon.replace(".", "")
    elif "," in schoon:
        schoon = schoon.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", schoon):
        raise ValueError
    return int((Decimal(schoon) * 100).to_integral_value())


def _is_model(soort: object) -> bool:
    return isinstance(soort, type) and issubclass(soort, BaseModel)


def _verzamel(
    model: type[BaseModel], form: Mapping[str, Any], prefix: str, fouten: list[dict[str, str]]
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for naam, info in model.model_fields.items():
        alias = info.alias or naam
        sleutel = prefix + alias
        soort = kern(info.annotation)
        if _is_model(soort):
            deel = _verzamel(soort, form, sleutel + ".", fouten)  # type: ignore[arg-type]
            # An optional group that the form left empty is absent, not a group of blanks.
            ingevuld = any(
                str(v).strip() for k, v in form.items() if str(k).startswith(sleutel + ".")
            )
            if ingevuld or info.is_required():
                data[alias] = deel
            continue
        if typing.get_origin(soort) is list and _is_model(typing.get_args(soort)[0]):
            # Rows of a group (`kostenverdeling.0.afdeling`, ...): every row with a value in it.
            rijen = []
            i = 0
            while any(str(k).startswith(f"{sleutel}.{i}.") for k in form):
                rij = f"{sleutel}.{i}."
                if any(str(v).strip() for k, v in form.items() if str(k).startswith(rij)):
                    rijen.append(_verzamel(typing.get_args(soort)[0], form, rij, fouten))
                i += 1
            if rijen:
                data[alias] = rijen
            continue
        if typing.get_origin(soort) is list:
            # A multi-select: every chosen value (FormData.getlist), or nothing.
            lijst = form.getlist(sleutel) if hasattr(form, "getlist") else [form.get(sleutel)]
            gekozen = [w for w in lijst if isinstance(w, str) and w.strip()]
            if gekozen:
                data[alias] = gekozen
            continue
        if soort is bool:
            data[alias] = str(form.get(sleutel, "")).lower() in ("on", "true", "1", "ja")
            continue
        ruw = form.get(sleutel)
        waarde = ruw if isinstance(ruw, str) else ""
        if not waarde.strip():
            if info.is_required():
                data[alias] = ""
            continue
        if soort is int:
            try:
                data[alias] = (
                    _euro_naar_cent(waarde) if alias.endswith("Cent") else int(waarde.strip())
                )
            except (ValueError, InvalidOperation):
                fouten.append(
                    {
                        "name": sleutel,
                        "code": "ongeldig-bedrag" if alias.endswith("Cent") else "ongeldig-getal",
                        "reason": "Vul een bedrag in euro in, bijvoorbeeld 1250,50."
                        if alias.endswith("Cent")
                        else "Vul een geheel getal in.",
                    }
                )
            continue
        data[alias] = waarde
    return data


def lees(model: type[InvoerT], form: Mapping[str, Any]) -> InvoerT:
    """The API's input model from a submitted form; OngeldigeInvoer like the API would answer."""
    fouten: list[dict[str, str]] = []
    data = _verzamel(model, form, "", fouten)
    try:
        invoer = model.model_validate(data)
    except ValidationError as exc:
        eigen = {f["name"] for f in fouten}
        fouten.extend(p for p in validation_params(exc.errors()) if p["name"] not in eigen)
        raise OngeldigeInvoer(fouten) from exc
    if fouten:
        raise OngeldigeInvoer(fouten)
    return invoer


def veldnamen(model: type[BaseModel], prefix: str = "") -> set[str]:
    namen: set[str] = set()
    for naam, info in model.model_fields.items():
        alias = prefix + (info.alias or naam)
        soort = kern(info.annotation)
        if _is_model(soort):
            namen |= veldnamen(soort, alias + ".")  # type: ignore[arg-type]
        else:
            namen.add(alias)
    return namen


@dataclass
class Formulier:
    """What one form shows after a failed submission: the user's input, errors per field, and
    errors that belong to no field (at the top of the form)."""

    actie: str
    waarden: dict[str, str] = field(default_factory=dict)
    # Every error of a field, in order: a field can break more than one rule at once.
    velden: dict[str, list[str]] = field(default_factory=dict)
    algemeen: list[str] = field(default_factory=list)
    # Extra context for special forms (the 412 conflict of the casus edit form).
    extra: dict[str, Any] = field(default_factory=dict)
    # The labels of the fields as the template rendered them, so the error summary can name
    # the field each error belongs to (the fields render before the summary does).
    labels: dict[str, str] = field(default_factory=dict)
    # Refilled with what was typed before the session expired (shown open, with a note).
    hersteld: bool = False

    @property
    def id(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.actie.lower()).strip("-")

    @property
    def heeft_fouten(self) -> bool:
        return bool(self.velden or self.algemeen)

    def waarde(self, naam: str, standaard: object = "") -> str:
        if naam in self.waarden:
            return self.waarden[naam]
        return "" if standaard is None else str(standaard)

    def fout(self, naam: str) -> str | None:
        """All errors of one field as one text (for a field that shows them in one line)."""
        fouten = self.velden.get(naam)
        return " ".join(fouten) if fouten else None

    def fouten(self, naam: str) -> list[str]:
        return self.velden.get(naam, [])

    def voeg_fout_toe(self, naam: str, melding: str) -> None:
        lijst = self.velden.setdefault(naam, [])
        if melding not in lijst:
            lijst.append(melding)

    def noteer(self, naam: str, label: str) -> str:
        """Called by the field macros while rendering; returns nothing to print."""
        self.labels[naam] = label
        return ""

    def label(self, naam: str) -> str:
        return self.labels.get(naam) or naam


def formulier_met_fout(
    actie: str, form: Mapping[str, Any], fout: DoorbraakError, velden: set[str]
) -> Formulier:
    # Never echo a BSN back into the page: not the BSN field, and no text that holds one.
    waarden = {
        k: v
        for k, v in form.items()
        if isinstance(v, str) and k not in ("csrf", "bsn") and not bsns_in_tekst(v)
    }
    fm = Formulier(actie=actie, waarden=waarden)
    params = fout.extra.get("invalidParams") if isinstance(fout, OngeldigeInvoer) else None
    if isinstance(params, list):
        for p in params:
            naam = veldnaam(str(p.get("name", "")))
            if naam in velden:
                fm.voeg_fout_toe(naam, melding(p))
            else:
                fm.algemeen.append(f"{mensennaam(str(p.get('name', '')))}: {melding(p)}")
        if not fm.velden and not fm.algemeen:
            fm.algemeen.append(fout.detail)
    else:
        fm.algemeen.append(fout.detail)
        voorwaarden = fout.extra.get("voorwaarden")
        if isinstance(voorwaarden, list):
            fm.algemeen.extend(
                str(v.get("omschrijving", v)) if isinstance(v, dict) else str(v)
                for v in voorwaarden
            )
        afwijkingen = fout.extra.get("afwijkingen")
        if isinstance(afwijkingen, list) and afwijkingen:
            fm.algemeen.append(f"Afwijkingen zonder rugdekking: {len(afwijkingen)}.")
    return fm


def schone_zoektekst(zoek: str | None) -> str | None:
    """A search text as the API's `zoek` filter accepts it: trimmed, no control characters."""
    if zoek is None or not zoek.strip():
        return None
    try:
        return schoon(zoek.strip())
    except ValueError:
        return None
