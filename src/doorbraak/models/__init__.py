"""Every ORM model, one module per aggregate; imported here so metadata is complete."""

from doorbraak.models.afpellen import Betrokkene, Knelpunt, Stap
from doorbraak.models.bijlagen import Bijlage
from doorbraak.models.casus import (
    Casus,
    CasusteamLid,
    FaseOvergang,
    KenmerkTeller,
    StatistiekenMomentopname,
    TijdlijnRegel,
)
from doorbraak.models.export import ExportRun, ExportWatermerk
from doorbraak.models.huishouden import (
    Afspraak,
    Doel,
    ExternePartij,
    Huishoudlid,
    Partijdeelname,
)
from doorbraak.models.idempotentie import IdempotentieSleutel
from doorbraak.models.kosten import Kostennulmeting, Kostenregel
from doorbraak.models.leren import Beleidssignaal, Leerpunt
from doorbraak.models.logboek import LogboekRegel
from doorbraak.models.maatwerk import (
    Afwijking,
    Besluit,
    Kostenaandeel,
    Overslag,
    Reactie,
    Regel,
    Regelversie,
)
from doorbraak.models.meldingen import Melding, Meldingvoorkeur, Notitie, Vermelding, Verzending
from doorbraak.models.organisatie import Afdeling, ApiToken, Medewerker
from doorbraak.models.rechten import Rechtenverzoek
from doorbraak.models.regie import Deelname, Escalatie, EscalatieAfwijking, Regievoering
from doorbraak.models.rugdekking import Rugdekkingsverzoek
from doorbraak.models.web import WebSessie

__all__ = [
    "Afdeling",
    "Afspraak",
    "Afwijking",
    "ApiToken",
    "Beleidssignaal",
    "Besluit",
    "Betrokkene",
    "Bijlage",
    "Casus",
    "CasusteamLid",
    "Deelname",
    "Doel",
    "Escalatie",
    "EscalatieAfwijking",
    "ExportRun",
    "ExportWatermerk",
    "ExternePartij",
    "FaseOvergang",
    "Huishoudlid",
    "IdempotentieSleutel",
    "KenmerkTeller",
    "Knelpunt",
    "Kostenaandeel",
    "Kostennulmeting",
    "Kostenregel",
    "Leerpunt",
    "LogboekRegel",
    "Medewerker",
    "Melding",
    "Meldingvoorkeur",
    "Notitie",
    "Overslag",
    "Partijdeelname",
    "Reactie",
    "Rechtenverzoek",
    "Regel",
    "Regelversie",
    "Regievoering",
    "Rugdekkingsverzoek",
    "Stap",
    "StatistiekenMomentopname",
    "TijdlijnRegel",
    "Vermelding",
    "Verzending",
    "WebSessie",
]
