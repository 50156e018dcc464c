"""The shape of the code, checked on its import graph (every import, deferred ones included).

- no import circle between modules;
- `kit/` is a leaf: it imports nothing but the foundation (config, db, errors, logs, metrics,
  models) and itself;
- no private name (`_x`) is imported from another module;
- no FastAPI or Starlette below the endpoint layer: services, repositories, read modules and the
  access module take plain values, never a Request;
- the web front end never imports an API endpoint module, and no endpoint module imports a
  repository (endpoints call services and read modules).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

BRON = Path(__file__).resolve().parent.parent / "src"
FUNDAMENT = {
    "doorbraak",
    "doorbraak.config",
    "doorbraak.db",
    "doorbraak.errors",
    "doorbraak.logs",
    "doorbraak.metrics",
    "doorbraak.models",
}
# Module names (the last part) that hold rules or SQL: no HTTP types there.
ONDER_DE_ENDPOINTS = {"service", "repository", "lezen", "toegang", "fasen", "beheer"}


@dataclass(frozen=True)
class Import:
    van: str
    naar: str
    naam: str | None
    regel: int


def _modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for pad in sorted((BRON / "doorbraak").rglob("*.py")):
        delen = pad.relative_to(BRON).with_suffix("").parts
        naam = ".".join(delen[:-1] if delen[-1] == "__init__" else delen)
        modules[naam] = pad
    return modules


def _imports(modules: dict[str, Path]) -> list[Import]:
    gevonden: list[Import] = []
    for module, pad in modules.items():
        boom = ast.parse(pad.read_text(), str(pad))
        for knoop in ast.walk(boom):
            if isinstance(knoop, ast.ImportFrom) and knoop.module and knoop.level == 0:
                for alias in knoop.names:
                    volledig = f"{knoop.module}.{alias.name}"
                    if volledig in modules:
                        gevonden.append(Import(module, volledig, None, knoop.lineno))
                    else:
                        gevonden.append(Import(module, knoop.module, alias.name, knoop.lineno))
            elif isinstance(knoop, ast.Import):
                for alias in knoop.names:
                    gevonden.append(Import(module, alias.name, None, knoop.lineno))
    return gevonden


MODULES = _modules()
IMPORTS = _imports(MODULES)


def _binnen(imports: list[Import]) -> list[Import]:
    return [i for i in imports if i.naar in MODULES and i.naar != i.van]


def kringen(randen: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    laag: dict[str, int] = {}
    stapel: list[str] = []
    op_stapel: set[str] = set()
    uitkomst: list[list[str]] = []
    teller = 0
    for begin in sorted(randen):
        if begin in index:
            continue
        werk: list[tuple[str, list[str]]] = [(begin, sorted(randen.get(begin, ())))]
        index[begin] = laag[begin] = teller
        teller += 1
        stapel.append(begin)
        op_stapel.add(begin)
        while werk:
            knoop, buren = werk[-1]
            if buren:
                buur = buren.pop()
                if buur not in index:
                    index[buur] = laag[buur] = teller
                    teller += 1
                    stapel.append(buur)
                    op_stapel.add(buur)
                    werk.append((buur, sorted(randen.get(buur, ()))))
                elif buur in op_stapel:
                    laag[knoop] = min(laag[knoop], index[buur])
                continue
            werk.pop()
            if werk:
                laag[werk[-1][0]] = min(laag[werk[-1][0]], laag[knoop])
            if laag[knoop] == index[knoop]:
                groep: list[str] = []
                while True:
                    lid = stapel.pop()
                    op_stapel.discard(lid)
                    groep.append(lid)
                    if lid == knoop:
                        break
                if len(groep) > 1:
                    uitkomst.append(sorted(groep))
    return uitkomst


def test_kringen_finds_a_circle_and_accepts_a_tree() -> None:
    assert kringen({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert kringen({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_no_import_circle() -> None:
    randen: dict[str, set[str]] = defaultdict(set)
    for i in _binnen(IMPORTS):
        randen[i.van].add(i.naar)
    assert kringen(randen) == []


def _pakket(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_kit_is_a_leaf() -> None:
    verboden = [
        f"{i.van}:{i.regel} -> {i.naar}"
        for i in _binnen(IMPORTS)
        if _pakket(i.van) == "doorbraak.kit"
        and _pakket(i.naar) != "doorbraak.kit"
        and _pakket(i.naar) not in FUNDAMENT
        and i.naar not in FUNDAMENT
    ]
    assert verboden == []


def test_no_private_name_is_imported_across_modules() -> None:
    privaat = [
        f"{i.van}:{i.regel} imports {i.naar}.{i.naam}"
        for i in IMPORTS
        if i.naam is not None
        and i.naar.startswith("doorbraak")
        and i.naam.startswith("_")
        and not (i.naam.startswith("__") and i.naam.endswith("__"))
    ]
    assert privaat == []


def test_no_http_types_below_the_endpoint_layer() -> None:
    onder = [
        f"{i.van}:{i.regel} -> {i.naar}"
        for i in IMPORTS
        if (i.van.rsplit(".", 1)[-1] in ONDER_DE_ENDPOINTS or i.van.startswith("doorbraak.models"))
        and i.naar.split(".")[0] in ("fastapi", "starlette")
    ]
    assert onder == []


# Known exceptions while a package is reshaped: the list may only shrink. A new entry fails, and
# an entry that no longer occurs fails too (so it is taken off here). Empty now.
NOG_TE_VERWIJDEREN: set[tuple[str, str]] = set()


def _lagen_overtredingen() -> set[tuple[str, str]]:
    uitkomst: set[tuple[str, str]] = set()
    for i in _binnen(IMPORTS):
        web_naar_api = (
            i.van.startswith("doorbraak.web")
            and not i.naar.startswith("doorbraak.web")
            and i.naar.endswith(".endpoints")
        )
        # The API's endpoint modules and the web's pages (web/paginas/).
        endpoint_module = i.van.endswith(".endpoints") or i.van.startswith("doorbraak.web.paginas")
        endpoint_naar_repository = endpoint_module and i.naar.endswith(".repository")
        if web_naar_api or endpoint_naar_repository:
            uitkomst.add((i.van, i.naar))
    return uitkomst


def test_web_imports_no_api_endpoints_and_endpoints_no_repositories() -> None:
    """The web never imports an API endpoint module; endpoints (API and web pages) call
    services and read modules, never a repository."""
    gevonden = _lagen_overtredingen()
    assert sorted(gevonden - NOG_TE_VERWIJDEREN) == []
    assert sorted(NOG_TE_VERWIJDEREN - gevonden) == []


def test_the_cli_loads_no_metrics_before_serve_sets_them_up() -> None:
    """`doorbraak serve` switches prometheus_client to multiprocess mode before it is imported;
    building the CLI (every command's parser) must therefore not import it."""
    import subprocess
    import sys

    code = (
        "import sys, doorbraak.cli as c; c.parser(); "
        "sys.exit(1 if any(m.startswith('prometheus_client') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_leefgebied_labels_have_one_table() -> None:
    """How a leefgebied reads ("financien" -> "Financiën") is written once, in `kit/labels.py`,
    for the web and the samenvatting alike; a second table drifts from the first. A table is a
    dict literal that maps a leefgebied whose word is not its value capitalised (financien,
    sociaal_netwerk) to a text."""
    from doorbraak.kit.labels import label
    from doorbraak.models.enums import Leefgebied

    assert label(Leefgebied.financien) == "Financiën"
    assert label(Leefgebied.sociaal_netwerk) == "Sociaal netwerk"
    gebieden = {g.value for g in Leefgebied if label(g) != g.value.capitalize()}
    assert gebieden == {"financien", "sociaal_netwerk"}
    tabellen: set[str] = set()
    for module, pad in _modules().items():
        for knoop in ast.walk(ast.parse(pad.read_text(), str(pad))):
            if isinstance(knoop, ast.Dict) and any(
                isinstance(k, ast.Constant)
                and k.value in gebieden
                and isinstance(v, ast.Constant)
                and isinstance(v.value, str)
                for k, v in zip(knoop.keys, knoop.values, strict=True)
            ):
                tabellen.add(module)
    assert tabellen == {"doorbraak.kit.labels"}
