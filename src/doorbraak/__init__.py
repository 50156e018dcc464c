"""doorbraak: case management for the doorbraakmethode."""

__version__ = "0.1.0"
API_VERSION = "1.1.0"

# What changed between API versions; shown in the OpenAPI document's description.
API_CHANGELOG = (
    "1.1.0: escalaties name what they decide on (`betreft`) and carry a structured, immutable "
    "`uitkomst` object (soort, voorwaarden, referentie, toelichting, door, op) instead of a free "
    "text; corrections via POST .../escalaties/{id}/correcties; landelijk escalaties carry the "
    "`loket`. `GET /casussen/{kenmerk}/team` answers `{results, next}` like every other list "
    "(was a bare array). Besluiten carry `kostenverdeling`, `overgeslagen`, `nietGehoord` and "
    "`noodmaatregel`; afwijkingen can be `vervangen`. Unknown query parameters answer 400 "
    "(`onbekende-parameter`). These shapes changed in place: no client used the old ones yet.",
    "1.0.0: first version.",
)
