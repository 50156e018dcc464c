"""Every ORM model, one module per aggregate; imported here so metadata is complete."""

from doorbraak.models.afpellen import Betrokkene, Knelpunt, Stap
from doorbraak.models.casus import Casus, CasusteamLid, FaseOvergang, KenmerkTeller, TijdlijnRegel
from doorbraak.models.idempotentie import IdempotentieSleutel
from doorbraak.models.logboek import LogboekRegel
from doorbraak.models.organisatie import Afdeling, ApiToken, Medewerker
from doorbraak.models.regie import Deelname, Escalatie, Regievoering

__all__ = [
    "Afdeling",
    "ApiToken",
    "Betrokkene",
    "Casus",
    "CasusteamLid",
    "Deelname",
    "Escalatie",
    "FaseOvergang",
    "IdempotentieSleutel",
    "KenmerkTeller",
    "Knelpunt",
    "LogboekRegel",
    "Medewerker",
    "Regievoering",
    "Stap",
    "TijdlijnRegel",
]
