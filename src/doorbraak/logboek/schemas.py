"""The logboek as the auditor reads it."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from doorbraak.kit.schema import Schema


class LogboekRegelUit(Schema):
    id: int = Field(description="Position in the hash chain (ascending).")
    tijdstempel: dt.datetime
    actor: str | None = Field(description="Medewerker id, or null (unauthenticated, CLI).")
    actie: str = Field(description="`METHOD /route/template`, or a named action like `bsn.inzien`.")
    object_soort: str
    object_id: str | None
    casus: str | None = Field(description="Kenmerk of the casus the entry concerns.")
    resultaat: str = Field(description="`succes-<status>`, `geweigerd-<status>` or `succes`.")
    oorsprong: str | None = Field(description="Client address, or `cli`.")
    doelbinding: str | None = Field(description="Stated purpose (`X-Doelbinding`), if any.")
    request_id: str | None
    aantal: int | None = Field(
        description="Requests this entry stands for: null for one; a count for aggregated "
        "anonymous requests."
    )
    sleutel_id: str | None = Field(
        description="Id of the key of the entry's HMAC; null before the chain was keyed."
    )
    vorige_hash: str
    hash: str


class LogboekVerificatie(Schema):
    geldig: bool = Field(
        description="True when every link of the chain holds and it still reaches the newest "
        "checkpoint."
    )
    aantal_regels: int = Field(description="Entries checked (up to and including a broken one).")
    eerste_fout_id: int | None = Field(description="Id of the first entry that does not match.")
    reden: str | None
    checkpoint_id: int | None = Field(
        description="Head id of the signed checkpoint the chain was held against, if any."
    )
    ongesleuteld: int = Field(
        description="Entries from before the keyed chain, verified with their unkeyed link."
    )
    opmerkingen: list[str] = Field(description="Findings that do not break the chain.")
    gecontroleerd_op: dt.datetime
