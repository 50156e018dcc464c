"""The CSV files on PostgreSQL: `COPY (SELECT ...) TO STDOUT (FORMAT csv)` straight into the file.

The Python path (`bestanden.CsvSchrijver.schrijf`) spends its time per value: rendering instants,
the pseudonym HMAC per row, csv.writerows. Here PostgreSQL renders every value as the text the
Python writer would have written, and the file gets the bytes COPY sends. The result is byte for
byte the file of the Python path (a test compares both on PostgreSQL):

- instants: `to_char(... AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, dates
  `YYYY-MM-DD`, booleans `true`/`false`, uuids as text, null as an empty field;
- text: an empty string becomes null, because COPY quotes an empty string (`""`) where the
  Python writer writes nothing;
- the pseudonym: joined from a temporary table (casus id, pseudonym) that `pseudoniemen_vullen`
  fills once per run from Python. The key stays in this process: it is never part of a SQL
  text or parameter, so statement logging on the server cannot record it;
- free text: a value starting with `=`, `+`, `-`, `@`, tab, CR or `'` gets a leading `'`
  (formula escape), and in the excel profile backslash, CRLF, LF and CR become `\\\\`, `\\n`,
  `\\n`, `\\r`, in the order the Python writer applies them (bestanden.py);
- the profile's separator (`DELIMITER`); the excel profile's BOM is written by `CsvSchrijver`;
- line ends: COPY ends a record with LF, RFC 4180 with CRLF; `Regeleinden` rewrites record ends,
  not the LFs inside quoted fields. COPY quotes exactly where the Python writer does (delimiter,
  quote, CR, LF; `\\.` is only quoted in single-column output, which no table has).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    MetaData,
    String,
    Table,
    case,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement, Label

from doorbraak.export.bestanden import (
    FORMULE_TEKENS,
    RFC4180,
    Profiel,
    Pseudoniem,
    vrije_tekst,
)
from doorbraak.export.tabellen import AnySelect, CasusFilter, Kolom, Tabel
from doorbraak.models import Casus

TIJDSTIP = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
PSEUDONIEMEN = Table(
    "export_pseudoniemen",
    MetaData(),
    Column("casus_id", BigInteger, primary_key=True),
    Column("pseudoniem", String, nullable=False),
)
_VUL_BATCH = 20_000


class Regeleinden:
    """LF -> CRLF at record ends only. A LF ends a record when the quotes before it are even
    (a quoted field's inner quotes come in pairs); the state carries over from chunk to chunk."""

    def __init__(self) -> None:
        self._binnen = False

    def __call__(self, data: bytes) -> bytes:
        if not self._binnen and b'"' not in data:
            return data.replace(b"\n", b"\r\n")
        delen = data.split(b"\n")
        laatste = len(delen) - 1
        uit: list[bytes] = []
        for i, deel in enumerate(delen):
            if deel.count(b'"') % 2:
                self._binnen = not self._binnen
            uit.append(deel)
            if i < laatste:
                uit.append(b"\n" if self._binnen else b"\r\n")
        return b"".join(uit)


async def _asyncpg(conn: AsyncConnection) -> Any:
    raw = await conn.get_raw_connection()
    return raw.driver_connection


async def pseudoniemen_vullen(
    conn: AsyncConnection, pseudoniem: Pseudoniem, filter_: CasusFilter | None
) -> int:
    """Create the run's temporary (casus id, pseudonym) table in the snapshot transaction (it
    goes with it) and fill it for the casussen of this run, in batches (flat memory)."""
    await conn.execute(
        text(
            f"CREATE TEMPORARY TABLE {PSEUDONIEMEN.name} "
            "(casus_id bigint PRIMARY KEY, pseudoniem text NOT NULL) ON COMMIT DROP"
        )
    )
    pg = await _asyncpg(conn)
    aantal = 0
    vanaf = -1
    while True:
        stmt = select(Casus.id).where(Casus.id > vanaf).order_by(Casus.id).limit(_VUL_BATCH)
        if filter_ is not None:
            stmt = stmt.where(filter_(Casus.id))
        ids = list((await conn.scalars(stmt)).all())
        if not ids:
            break
        await pg.copy_records_to_table(PSEUDONIEMEN.name, records=[(i, pseudoniem(i)) for i in ids])
        aantal += len(ids)
        vanaf = ids[-1]
    # Statistics, so the planner hash-joins the pseudonyms instead of guessing the table size.
    await conn.execute(text(f"ANALYZE {PSEUDONIEMEN.name}"))
    return aantal


def _teken(c: str) -> ColumnElement[Any]:
    # chr(n), not a string literal: no quoting or backslash rules between here and the server.
    return func.chr(ord(c))


def _vrije_tekst(e: ColumnElement[Any], profiel: Profiel) -> ColumnElement[Any]:
    waarde = func.nullif(e, literal(""))
    formule = func.left(waarde, 1).in_([_teken(c) for c in sorted(FORMULE_TEKENS)])
    uit: ColumnElement[Any] = case((formule, func.concat(_teken("'"), waarde)), else_=waarde)
    if profiel.regeleinden_escapen:
        backslash = _teken("\\")
        uit = func.replace(uit, backslash, func.concat(backslash, backslash))
        uit = func.replace(
            uit, func.concat(_teken("\r"), _teken("\n")), func.concat(backslash, "n")
        )
        uit = func.replace(uit, _teken("\n"), func.concat(backslash, "n"))
        uit = func.replace(uit, _teken("\r"), func.concat(backslash, "r"))
    return uit


def _als_tekst(kolom: Kolom, e: ColumnElement[Any], profiel: Profiel) -> ColumnElement[Any]:
    soort = kolom.soort
    if vrije_tekst(kolom):
        return _vrije_tekst(e, profiel)
    if soort == "tijdstip":
        return func.to_char(func.timezone("UTC", e), literal(TIJDSTIP))
    if soort == "datum":
        return func.to_char(e, literal("YYYY-MM-DD"))
    if soort == "boolean":
        return case((e, literal("true")), (~e, literal("false")), else_=None)
    if soort in ("tekst", "code"):
        return func.nullif(e, literal(""))
    if soort == "uuid":
        return e.cast(String)
    return e  # geheel_getal: PostgreSQL writes integers as Python does


def tekst_query(tabel: Tabel, filter_: CasusFilter | None, profiel: Profiel = RFC4180) -> AnySelect:
    """The table's SELECT (same FROM, WHERE, ORDER BY) with every column rendered as CSV text
    and the casus id replaced by its pseudonym."""
    stmt = tabel.query(filter_)
    kolommen: list[ColumnElement[Any]] = []
    for kolom, gekozen in zip(tabel.alle_kolommen, stmt.selected_columns, strict=True):
        e: ColumnElement[Any] = gekozen.element if isinstance(gekozen, Label) else gekozen
        if kolom.soort == "pseudoniem":
            stmt = stmt.join(PSEUDONIEMEN, PSEUDONIEMEN.c.casus_id == e)
            kolommen.append(PSEUDONIEMEN.c.pseudoniem.label(kolom.naam))
        else:
            kolommen.append(_als_tekst(kolom, e, profiel).label(kolom.naam))
    return stmt.with_only_columns(*kolommen)


def tekst_sql(
    tabel: Tabel, filter_: CasusFilter | None, dialect: Dialect, profiel: Profiel = RFC4180
) -> str:
    # Literal values only (tijdlijn ids, an instant, formats): nothing secret in the text.
    stmt = tekst_query(tabel, filter_, profiel)
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


async def kopieren(
    conn: AsyncConnection,
    tabel: Tabel,
    filter_: CasusFilter | None,
    schrijf: Callable[[bytes], None],
    profiel: Profiel = RFC4180,
) -> int:
    """COPY the table's rows (no header) as CSV into `schrijf`; returns the number of rows."""
    pg = await _asyncpg(conn)
    regeleinden = Regeleinden()
    fout: list[BaseException] = []

    async def ontvang(data: bytes) -> None:
        # asyncpg (0.32) hangs when the output callback raises mid-COPY: keep the first error,
        # drop the rest of the stream, and raise once COPY is done.
        if fout:
            return
        try:
            schrijf(regeleinden(data))
        except Exception as exc:
            fout.append(exc)

    uitvoer: Callable[[bytes], Awaitable[None]] = ontvang
    status = await pg.copy_from_query(
        tekst_sql(tabel, filter_, conn.dialect, profiel),
        output=uitvoer,
        format="csv",
        delimiter=profiel.scheidingsteken,
    )
    if fout:
        raise fout[0]
    return int(str(status).split()[-1])
