"""The domain's closed vocabularies (glossary of domain.md), stored as strings."""

from __future__ import annotations

from enum import StrEnum


class Rol(StrEnum):
    medewerker = "medewerker"
    casusregisseur = "casusregisseur"
    leidinggevende = "leidinggevende"
    beleid = "beleid"
    auditor = "auditor"
    beheerder = "beheerder"
    # The privacy officer (functionaris gegevensbescherming): may take down any shared verhaal.
    privacy = "privacy"


class Risico(StrEnum):
    laag = "laag"
    midden = "midden"
    hoog = "hoog"


RISICO_ORDE = {Risico.laag: 1, Risico.midden: 2, Risico.hoog: 3}


class Urgentie(StrEnum):
    laag = "laag"
    normaal = "normaal"
    hoog = "hoog"
    acuut = "acuut"


class Fase(StrEnum):
    aangemeld = "aangemeld"
    in_kaart = "in_kaart"
    perspectief = "perspectief"
    afpellen = "afpellen"
    maatwerk = "maatwerk"
    uitvoering = "uitvoering"
    evaluatie = "evaluatie"
    afgesloten = "afgesloten"


FASE_VOLGORDE: list[Fase] = list(Fase)


class Afsluitreden(StrEnum):
    opgelost = "opgelost"
    niet_opgelost = "niet_opgelost"
    elders_belegd = "elders_belegd"
    ingetrokken = "ingetrokken"


class Vertrouwelijkheid(StrEnum):
    openbaar = "openbaar"
    beperkt_openbaar = "beperkt_openbaar"
    intern = "intern"
    zaakvertrouwelijk = "zaakvertrouwelijk"
    vertrouwelijk = "vertrouwelijk"
    confidentieel = "confidentieel"
    geheim = "geheim"
    zeer_geheim = "zeer_geheim"


class EscalatieNiveau(StrEnum):
    team = "team"
    management = "management"
    bestuur = "bestuur"
    landelijk = "landelijk"


class Leefgebied(StrEnum):
    financien = "financien"
    wonen = "wonen"
    werk = "werk"
    onderwijs = "onderwijs"
    gezondheid = "gezondheid"
    zorg = "zorg"
    veiligheid = "veiligheid"
    justitie = "justitie"
    sociaal_netwerk = "sociaal_netwerk"
    overig = "overig"


class StapStatus(StrEnum):
    open = "open"
    bezig = "bezig"
    afgerond = "afgerond"
    vervallen = "vervallen"


class StapSoort(StrEnum):
    """A nazorg stap is an evaluation moment after the uitvoering: it does not block leaving
    uitvoering and can be completed on a closed casus."""

    actie = "actie"
    nazorg = "nazorg"


class NazorgVanaf(StrEnum):
    """What a nazorg moment is counted from (3, 6, 12 months after ...)."""

    vaststellen = "vaststellen"
    afsluiten = "afsluiten"


class PartijSoort(StrEnum):
    """Kinds of organisation outside the municipality that take part in a casus."""

    woningcorporatie = "woningcorporatie"
    ggz = "ggz"
    uwv = "uwv"
    svb = "svb"
    cak = "cak"
    zorgverzekeraar = "zorgverzekeraar"
    zorgaanbieder = "zorgaanbieder"
    schuldeiser = "schuldeiser"
    onderwijs = "onderwijs"
    overig = "overig"


class KnelpuntSoort(StrEnum):
    regel = "regel"
    proces = "proces"
    systeem = "systeem"
    budget = "budget"
    samenwerking = "samenwerking"
    cultuur = "cultuur"


class KnelpuntNiveau(StrEnum):
    huishouden = "huishouden"
    professional = "professional"
    systeem = "systeem"


class KnelpuntStatus(StrEnum):
    open = "open"
    opgelost = "opgelost"
    geaccepteerd = "geaccepteerd"


# --- maatwerk and leren ------------------------------------------------------------------------


class RegelSoort(StrEnum):
    """What kind of regeling a catalogue entry comes from."""

    wet = "wet"
    verordening = "verordening"
    beleidsregel = "beleidsregel"
    werkinstructie = "werkinstructie"


class BesluitStatus(StrEnum):
    concept = "concept"
    vastgesteld = "vastgesteld"
    ingetrokken = "ingetrokken"
    vervangen = "vervangen"


class ReactieOordeel(StrEnum):
    akkoord = "akkoord"
    bezwaar = "bezwaar"


class Grondslag(StrEnum):
    awb_4_84 = "awb_4_84"
    hardheidsclausule = "hardheidsclausule"
    wettelijke_ruimte = "wettelijke_ruimte"
    buiten_kader = "buiten_kader"


class AfwijkingStatus(StrEnum):
    """An afwijking follows its besluit: withdrawn with it (ingetrokken) or replaced with it
    (vervangen); only a gedekt afwijking of a vastgesteld besluit is a deviation in force."""

    voorgesteld = "voorgesteld"
    gedekt = "gedekt"
    afgewezen = "afgewezen"
    ingetrokken = "ingetrokken"
    vervangen = "vervangen"


class RugdekkingOordeel(StrEnum):
    gedekt = "gedekt"
    afgewezen = "afgewezen"


class RugdekkingsverzoekStatus(StrEnum):
    """A rugdekkingsverzoek is open until its addressee answers it, the regiehouder withdraws it,
    or it lapses (vervallen) because the afwijking was decided otherwise or left force."""

    open = "open"
    beantwoord = "beantwoord"
    ingetrokken = "ingetrokken"
    vervallen = "vervallen"


class EscalatieUitkomst(StrEnum):
    """The structured outcome of an escalatie; once recorded it never changes (a correction is
    a new escalatie that supersedes it)."""

    toegekend = "toegekend"
    afgewezen = "afgewezen"
    toegekend_onder_voorwaarden = "toegekend_onder_voorwaarden"


TOEGEKEND = (EscalatieUitkomst.toegekend, EscalatieUitkomst.toegekend_onder_voorwaarden)


class LoketStatus(StrEnum):
    """Where a landelijk escalatie stands at the national maatwerkloket."""

    ingediend = "ingediend"
    in_behandeling = "in_behandeling"
    beantwoord = "beantwoord"


class LeerpuntSoort(StrEnum):
    succes = "succes"
    verbetering = "verbetering"
    systeem = "systeem"


class SignaalStatus(StrEnum):
    """How far beleid has come with a beleidssignaal (only beleid sets it)."""

    nieuw = "nieuw"
    in_behandeling = "in_behandeling"
    # The regel got a new version (the signal links to it).
    regel_aangepast = "regel_aangepast"
    # Not the regel but how it is applied changed (a werkinstructie, a process, a form).
    werkwijze_aangepast = "werkwijze_aangepast"
    # Deliberately left as it is; the reactie says why.
    niet_aangepast = "niet_aangepast"


# A signal is handled (no longer waiting for beleid) in these statuses.
SIGNAAL_AFGEHANDELD = frozenset(
    {SignaalStatus.regel_aangepast, SignaalStatus.werkwijze_aangepast, SignaalStatus.niet_aangepast}
)


class SignaalBron(StrEnum):
    """Where a beleidssignaal comes from."""

    leerpunt = "leerpunt"
    afwijking = "afwijking"


class VerhaalStatus(StrEnum):
    """Where a succes is on its way to being shared (derived, not stored)."""

    niet_gedeeld = "niet_gedeeld"
    wacht_op_goedkeuring = "wacht_op_goedkeuring"
    gedeeld = "gedeeld"
    ingetrokken = "ingetrokken"


class TokenStatus(StrEnum):
    """An API token's state as the beheerder sees it (not stored: derived from its columns)."""

    geldig = "geldig"
    verlopen = "verlopen"
    ingetrokken = "ingetrokken"


class RechtenverzoekStatus(StrEnum):
    open = "open"
    goedgekeurd = "goedgekeurd"
    afgewezen = "afgewezen"


# Roles whose grant takes a second beheerder (four-eyes): they read the logboek, cover
# afwijkingen, see every casus of an afdeling, hand out roles, or take down any shared verhaal
# of any casus (privacy).
VIER_OGEN_ROLLEN = frozenset({Rol.beheerder, Rol.auditor, Rol.leidinggevende, Rol.privacy})


class InboxSoort(StrEnum):
    """What kind of work an inbox item ("vraagt uw aandacht") is; one source per kind."""

    stap_te_laat = "stap_te_laat"
    besluit_uiterlijk = "besluit_uiterlijk"
    reactie_gevraagd = "reactie_gevraagd"
    rugdekking_gevraagd = "rugdekking_gevraagd"
    escalatie_afhandelen = "escalatie_afhandelen"
    nazorg = "nazorg"
    beleidssignaal = "beleidssignaal"
    verhaal_beoordelen = "verhaal_beoordelen"
    zonder_regiehouder = "zonder_regiehouder"
    genoemd = "genoemd"


class MeldingVoorkeur(StrEnum):
    """How a medewerker wants e-mail about new work: each at once, one a day, or none."""

    direct = "direct"
    dagelijks = "dagelijks"
    uit = "uit"


class MeldingSoort(StrEnum):
    """The event an e-mail notification is about (the mail names only this and the kenmerk)."""

    genoemd = "genoemd"
    regie_toegewezen = "regie_toegewezen"
    escalatie_aangevraagd = "escalatie_aangevraagd"
    reactie_gevraagd = "reactie_gevraagd"


class Kostensoort(StrEnum):
    """A cost in the ledger: what muddling on costs now (huidig), what it would cost if the
    threat comes true (dreigend: a scenario, never summed with huidig), or what a cost turned out
    to be at an evaluation moment (gerealiseerd)."""

    huidig = "huidig"
    dreigend = "dreigend"
    gerealiseerd = "gerealiseerd"


class Kostenritme(StrEnum):
    jaarlijks = "jaarlijks"
    eenmalig = "eenmalig"
