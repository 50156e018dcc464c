"""keuzecontroles: every closed-vocabulary column accepts only its values (CHECK constraints)

The columns already held only these values (the API validates every input against the same
vocabularies); from now on the database refuses anything else too. The constraint names follow
the naming convention of `doorbraak.db`: ck_<table>_<column>. On SQLite a table gains a CHECK
constraint only by being copied (batch mode; migrations/env.py turns foreign keys off meanwhile
and checks them afterwards).

Revision ID: 0009_arch
Revises: 0006
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_arch"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FASEN = (
    "aangemeld",
    "in_kaart",
    "perspectief",
    "afpellen",
    "maatwerk",
    "uitvoering",
    "evaluatie",
    "afgesloten",
)
AFSLUITREDENEN = ("opgelost", "niet_opgelost", "elders_belegd", "ingetrokken")
RISICO = ("laag", "midden", "hoog")
SIGNAALSTATUS = ("nieuw", "in_behandeling", "verwerkt", "niet_overgenomen")

# table -> [(column, values)], as in the models of this revision (frozen here on purpose).
CONTROLES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "medewerkers": [("mandaat_max_risico", RISICO)],
    "regels": [("soort", ("wet", "verordening", "beleidsregel", "werkinstructie"))],
    "casussen": [
        ("urgentie", ("laag", "normaal", "hoog", "acuut")),
        ("fase", FASEN),
        (
            "vertrouwelijkheid",
            (
                "openbaar",
                "beperkt_openbaar",
                "intern",
                "zaakvertrouwelijk",
                "vertrouwelijk",
                "confidentieel",
                "geheim",
                "zeer_geheim",
            ),
        ),
        ("afsluitreden", AFSLUITREDENEN),
    ],
    "fase_overgangen": [("van", FASEN), ("naar", FASEN), ("afsluitreden", AFSLUITREDENEN)],
    "betrokkenen": [
        (
            "leefgebied",
            (
                "financien",
                "wonen",
                "werk",
                "onderwijs",
                "gezondheid",
                "zorg",
                "veiligheid",
                "justitie",
                "sociaal_netwerk",
                "overig",
            ),
        )
    ],
    "stappen": [("fase", FASEN), ("status", ("open", "bezig", "afgerond", "vervallen"))],
    "knelpunten": [
        ("soort", ("regel", "proces", "systeem", "budget", "samenwerking", "cultuur")),
        ("niveau", ("huishouden", "professional", "systeem")),
        ("status", ("open", "opgelost", "geaccepteerd")),
    ],
    "besluiten": [("status", ("concept", "vastgesteld", "ingetrokken", "vervangen"))],
    "reacties": [("reactie", ("akkoord", "bezwaar"))],
    "afwijkingen": [
        ("grondslag", ("awb_4_84", "hardheidsclausule", "wettelijke_ruimte", "buiten_kader")),
        ("risico", RISICO),
        ("signaal_status", SIGNAALSTATUS),
        ("status", ("voorgesteld", "gedekt", "afgewezen", "ingetrokken")),
    ],
    "escalaties": [("niveau", ("team", "management", "bestuur", "landelijk"))],
    "leerpunten": [
        ("soort", ("succes", "verbetering", "systeem")),
        ("signaal_status", SIGNAALSTATUS),
    ],
}


def _voorwaarde(kolom: str, waarden: tuple[str, ...]) -> str:
    return f"{kolom} IN ({', '.join(repr(w) for w in waarden)})"


def upgrade() -> None:
    for tabel, kolommen in CONTROLES.items():
        with op.batch_alter_table(tabel, recreate="auto") as batch_op:
            for kolom, waarden in kolommen:
                batch_op.create_check_constraint(
                    op.f(f"ck_{tabel}_{kolom}"), _voorwaarde(kolom, waarden)
                )


def downgrade() -> None:
    for tabel, kolommen in reversed(CONTROLES.items()):
        with op.batch_alter_table(tabel, recreate="auto") as batch_op:
            for kolom, _waarden in reversed(kolommen):
                batch_op.drop_constraint(op.f(f"ck_{tabel}_{kolom}"), type_="check")
