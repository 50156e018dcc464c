"""Mijn werk shows the inbox, and every page's header counts it (within need-to-know)."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import Api
from tests.helpers import casus_in_maatwerk, nieuw_besluit


async def test_mijn_werk_lists_the_inbox_and_the_header_counts_it(api: Api, web: Any) -> None:
    k = (await casus_in_maatwerk(api))["kenmerk"]
    await nieuw_besluit(api("karim"), k)
    joost = await web("joost")
    werk = (await joost.get("/")).text
    inbox = werk.split('id="k-inbox"', 1)[1].split("</section>", 1)[0]
    assert f'href="/casussen/{k}#besluiten"' in inbox
    assert "wacht op de reactie van uw afdeling" in inbox
    # The header on another page carries the same count.
    casussen = (await joost.get("/casussen")).text
    teller = re.search(r'data-inbox-totaal="(\d+)"', casussen)
    assert teller and int(teller.group(1)) == inbox.count("<li ")
    # Someone outside the casus sees no item and a zero.
    eva = await web("eva")
    pagina = (await eva.get("/")).text
    assert k not in pagina.split('id="k-inbox"', 1)[1].split("</section>", 1)[0]
    assert 'data-inbox-totaal="0"' in pagina
