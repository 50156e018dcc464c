"""A short walk with the Python client that openapi-python-client generates from the committed
OpenAPI document (run by tests/client/test_gegenereerde_client.py with the generated package on
its path, in a virtualenv of its own): what a municipality's integrator would write first.

    python wandeling.py BASE_URL TOKEN

BASE_URL is the server's `/api/v1` (the document's `servers` entry is relative). Prints one line
per step; exits non-zero (an AssertionError) when an answer is not the typed one expected.
"""

from __future__ import annotations

import sys
import uuid

from doorbraak_api_client import AuthenticatedClient
from doorbraak_api_client.api.casussen import casus_aanmelden, casus_wijzigen, casussen_lijst
from doorbraak_api_client.models import (
    CasusNieuw,
    CasusSamenvattingPagina,
    CasusUit,
    CasusWijziging,
    Problem,
    Urgentie,
)


def main(basis: str, token: str) -> None:
    client = AuthenticatedClient(base_url=basis, token=token, raise_on_unexpected_status=True)

    # List, and page on with the cursor (the supported way).
    eerste = casussen_lijst.sync_detailed(client=client, limit=1)
    assert eerste.status_code == 200, eerste.content
    assert isinstance(eerste.parsed, CasusSamenvattingPagina)
    assert eerste.parsed.next_cursor, "expected a second page (the demo has several casussen)"
    tweede = casussen_lijst.sync(client=client, limit=1, cursor=eerste.parsed.next_cursor)
    assert isinstance(tweede, CasusSamenvattingPagina)
    assert tweede.results[0].kenmerk != eerste.parsed.results[0].kenmerk
    print(f"lijst: {eerste.parsed.results[0].kenmerk}, dan {tweede.results[0].kenmerk}")

    # Create with an Idempotency-Key; the retry replays the first answer.
    sleutel = str(uuid.uuid4())
    nieuw = CasusNieuw(titel="Lekkende woning", situatie="Het dak lekt.", urgentie=Urgentie.HOOG)
    gemaakt = casus_aanmelden.sync_detailed(client=client, body=nieuw, idempotency_key=sleutel)
    assert gemaakt.status_code == 201, gemaakt.content
    assert isinstance(gemaakt.parsed, CasusUit)
    herhaald = casus_aanmelden.sync_detailed(client=client, body=nieuw, idempotency_key=sleutel)
    assert isinstance(herhaald.parsed, CasusUit)
    assert herhaald.parsed.kenmerk == gemaakt.parsed.kenmerk
    kenmerk = gemaakt.parsed.kenmerk
    etag = gemaakt.headers["ETag"]
    print(f"aangemeld: {kenmerk} (ETag {etag}), herhaling gaf dezelfde casus")

    # PATCH with If-Match.
    gewijzigd = casus_wijzigen.sync_detailed(
        kenmerk, client=client, body=CasusWijziging(titel="Lekkend dak"), if_match=etag
    )
    assert gewijzigd.status_code == 200, gewijzigd.content
    assert isinstance(gewijzigd.parsed, CasusUit) and gewijzigd.parsed.titel == "Lekkend dak"
    print(f"gewijzigd met If-Match {etag}: nieuwe ETag {gewijzigd.headers['ETag']}")

    # The old ETag again: 412, a typed problem.
    oud = casus_wijzigen.sync_detailed(
        kenmerk, client=client, body=CasusWijziging(titel="Nog eens"), if_match=etag
    )
    assert oud.status_code == 412 and isinstance(oud.parsed, Problem), oud.content
    assert oud.parsed.status == 412
    print(f"412 als Problem: code={oud.parsed.code}")

    # Invalid input: 400, a typed problem naming the field.
    fout = casus_wijzigen.sync_detailed(
        kenmerk,
        client=client,
        body=CasusWijziging(titel=""),
        if_match=gewijzigd.headers["ETag"],
    )
    assert fout.status_code == 400 and isinstance(fout.parsed, Problem), fout.content
    velden = [p.name for p in fout.parsed.invalid_params or []]
    assert "titel" in velden, velden
    print(f"400 als Problem: code={fout.parsed.code}, velden={velden}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
