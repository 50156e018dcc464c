"""The de-identification of shared texts measured on a written corpus of Dutch sentences: recall
on the leaking sentences (goal >= 95 %) and the share of clean sentences accepted (goal >= 90 %).
Both numbers are printed (run with -s) and asserted. Uses the real deduce, warmed up once for the
test session (conftest)."""

from __future__ import annotations

from doorbraak.demo import MEDEWERKERS
from doorbraak.leren import anonimiteit
from tests.anonimiteit_corpus import LEKKEND, SCHOON

STAF = [m.naam for m in MEDEWERKERS]


def test_het_corpus_is_groot_genoeg() -> None:
    assert len(LEKKEND) >= 60 and len(SCHOON) >= 30
    assert len(set(LEKKEND)) == len(LEKKEND) and len(set(SCHOON)) == len(SCHOON)


def test_recall_en_acceptatie_op_het_corpus(deduce_gereed: None) -> None:
    staf = anonimiteit.Namenlijst.van(STAF)
    gemist = [
        zin
        for zin, huishouden in LEKKEND
        if not anonimiteit.vondsten(zin, medewerkers=staf, huishouden_naam=huishouden)
    ]
    geweigerd = {
        zin: [v.code for v in vondsten]
        for zin in SCHOON
        if (
            vondsten := anonimiteit.vondsten(zin, medewerkers=staf, huishouden_naam="Henk van Dijk")
        )
    }
    recall = 1 - len(gemist) / len(LEKKEND)
    acceptatie = 1 - len(geweigerd) / len(SCHOON)
    print(
        f"\nde-identificatie: recall {recall:.1%} ({len(LEKKEND) - len(gemist)}/{len(LEKKEND)} "
        f"lekkende zinnen geweigerd), acceptatie {acceptatie:.1%} "
        f"({len(SCHOON) - len(geweigerd)}/{len(SCHOON)} schone zinnen geaccepteerd)"
    )
    for zin in gemist:
        print(f"  gemist: {zin!r}")
    for zin, codes in geweigerd.items():
        print(f"  onterecht geweigerd: {zin!r} {codes}")
    assert recall >= 0.95, gemist
    assert acceptatie >= 0.90, geweigerd


def test_eigen_regels_zonder_deduce_vinden_het_huishouden_en_de_staf() -> None:
    def codes(zin: str, huishouden: str = "Henk van Dijk") -> list[str]:
        return [
            v.code
            for v in anonimiteit.vondsten(
                zin, medewerkers=STAF, huishouden_naam=huishouden, met_deduce=False
            )
        ]

    assert codes("Meneer Van Dijk kon blijven.") == ["bevat-naam-huishouden"]
    assert codes("H\u0435nk is weer aan het werk.") == ["bevat-naam-huishouden"]
    assert codes("dankzij Karim en Eva") == ["bevat-naam-medewerker"]
    assert codes("uit de Spoorstraat 12") == ["bevat-adres"]
    assert codes("BSN 111 222 333") == ["bevat-bsn"]
    assert codes("mail h.dijk＠example.nl") == ["bevat-e-mailadres"]
    assert codes("geboren 12-03-1965") == ["bevat-geboortedatum"]
    assert codes("Mevrouw Jansen-de Boer kreeg hulp") == ["bevat-naam-medewerker"]
    assert codes("mw. Pietersen kreeg hulp") == ["bevat-naam"]
    assert codes("het gezin kon blijven wonen") == []
    assert codes("bij de bakker om de hoek, langs de dijk") == []


def test_niet_gereed_is_een_duidelijke_fout_en_blokkeert_niet(monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(anonimiteit, "_status", "bezig")
        with pytest.raises(anonimiteit.NietGereed) as fout:
            anonimiteit.vondsten("Het gezin zit warm.", medewerkers=[], huishouden_naam=None)
        assert fout.value.reden == "bezig"
        mp.setattr(anonimiteit, "_status", "niet-geinstalleerd")
        with pytest.raises(anonimiteit.NietGereed) as fout:
            anonimiteit.vondsten("Het gezin zit warm.", medewerkers=[], huishouden_naam=None)
        assert fout.value.reden == "niet-geinstalleerd"
    finally:
        mp.undo()
