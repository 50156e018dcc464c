"""The check of a shared text through the de-identification process's socket, as the workers of
`doorbraak serve` run it (leren/deidentificatie.py): the same findings as in-process, and the
clear 503 while the process is not there. The real process beside real workers: tests/ops."""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from doorbraak.leren import anonimiteit, deidentificatie
from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, ok, probleem

# Only deduce finds this one: no title before it, no staff or household name in it.
MET_NAAM = "Het dak is dicht dankzij buurman Gerrit Hofstede, die de ladder bracht."


def _leerpunten(k: str) -> str:
    return f"/api/v1/casussen/{k}/leerpunten"


@pytest.fixture
def socketmap() -> Iterator[Path]:
    map_ = Path(tempfile.mkdtemp(prefix="doorbraak-deidentificatie-test-"))
    try:
        yield map_
    finally:
        for p in map_.iterdir():
            p.unlink()
        map_.rmdir()


@pytest.fixture
def via_socket(socketmap: Path) -> Iterator[str]:
    """The check as a worker of `serve` makes it: deduce asked over this socket."""
    pad = str(socketmap / "deduce.sock")
    mp = pytest.MonkeyPatch()
    mp.setattr(anonimiteit, "_socket", pad)
    try:
        yield pad
    finally:
        mp.undo()


async def test_a_name_is_refused_through_the_socket_and_503_without_it(
    api: Api, deduce_gereed: None, via_socket: str, socketmap: Path
) -> None:
    # The process's socket server, here in a thread (it answers with this process's deduce).
    server = deidentificatie.maak_server(via_socket)
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    try:
        # Only this user may reach the texts: directory 0700, socket 0600.
        assert stat.S_IMODE(os.stat(socketmap).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(via_socket).st_mode) == 0o600
        assert await anonimiteit.proces_status(via_socket) == "gereed"
        assert (await anonimiteit.proces_annotaties(via_socket, MET_NAAM))[1] == [
            ("persoon", "Gerrit Hofstede")
        ]
        k = (await casus_in_maatwerk(api))["kenmerk"]
        invoer = {"soort": "succes", "tekst": MET_NAAM, "delen": True}
        body = probleem(await api("karim").post(_leerpunten(k), json=invoer), 400)
        assert [p["code"] for p in body["invalidParams"]] == ["bevat-naam"]
        assert ok(await api(None).get("/api/v1/health/gereed"))["deidentificatie"] == "gereed"
        # The same findings as deduce in this process, for every sentence of a few kinds.
        for zin in (MET_NAAM, "Bel 06-12345678", "op 3 maart 2020 in Utrecht", "Rokin 12"):
            verwacht = anonimiteit.vondsten(zin, medewerkers=[], huishouden_naam=None)
            assert (
                await anonimiteit.vondsten_async(zin, medewerkers=[], huishouden_naam=None)
                == verwacht
            )
    finally:
        server.shutdown()
        server.server_close()
        os.unlink(via_socket)
    # The process gone (restarting): the clear "not ready yet", nothing stored.
    fout = probleem(await api("karim").post(_leerpunten(k), json=invoer), 503)
    assert fout["code"] == "deidentificatie-niet-gereed" and "opgestart" in fout["detail"]
    assert ok(await api("karim").get(_leerpunten(k)))["results"] == []
    assert ok(await api(None).get("/api/v1/health/gereed"))["deidentificatie"] == "bezig"


async def test_not_ready_through_the_socket_is_the_clear_503(api: Api, via_socket: str) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    r = await api("karim").post(
        _leerpunten(k), json={"soort": "succes", "tekst": "Het dak is dicht.", "delen": True}
    )
    fout = probleem(r, 503)
    assert fout["code"] == "deidentificatie-niet-gereed"
    assert r.headers["Retry-After"] == "30"
    with pytest.raises(anonimiteit.NietGereed) as e:
        await anonimiteit.vondsten_async("Het dak.", medewerkers=[], huishouden_naam=None)
    assert e.value.reden == "bezig"
    # A text that stays in the casus needs no deduce, so it is kept while the process is away.
    ok(await api("karim").post(_leerpunten(k), json={"soort": "succes", "tekst": "Het dak."}), 201)


async def test_a_process_without_deduce_says_so(
    api: Api, deduce_gereed: None, via_socket: str
) -> None:
    server = deidentificatie.maak_server(via_socket)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    mp = pytest.MonkeyPatch()
    try:
        # What the process answers when its deduce failed to import.
        mp.setattr(anonimiteit, "_status", "niet-geinstalleerd")
        k = (await casus_in_maatwerk(api))["kenmerk"]
        r = await api("karim").post(
            _leerpunten(k), json={"soort": "succes", "tekst": "Het dak is dicht.", "delen": True}
        )
        fout = probleem(r, 503)
        assert fout["code"] == "deidentificatie-niet-gereed"
        assert "niet geïnstalleerd" in fout["detail"] and "Retry-After" not in r.headers
        gereed = ok(await api(None).get("/api/v1/health/gereed"))
        assert gereed["deidentificatie"] == "niet-geinstalleerd"
    finally:
        mp.undo()
        server.shutdown()
        server.server_close()
