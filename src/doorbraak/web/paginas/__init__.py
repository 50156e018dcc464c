"""The web frontend's pages, one module per page (or group of pages), under `/` and outside
the API document. Every page runs through the request boundary (one commit, one logboek entry),
reads through the read modules and acts through the services with the policy's permission
sets; nothing here imports an API endpoint module's routes for its own reads or goes over HTTP.
"""

from __future__ import annotations

from doorbraak.web import inloggen
from doorbraak.web.paginas import beheerschermen, casus, casussen, documenten, registers, werk
from doorbraak.web.paginas.gedeeld import pagina_router

router = pagina_router()
router.include_router(inloggen.router)
router.include_router(werk.router)
router.include_router(casussen.router)
router.include_router(casus.router)
router.include_router(documenten.router)
router.include_router(registers.router)
router.include_router(beheerschermen.router)
