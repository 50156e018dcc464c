"""`doorbraak meldingen bezorgen | digest`: for cron. Both take the senders' database lock to
claim mails and keep the sent-log, so two runs at once (or a run beside the app) never send the
same mail twice."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from doorbraak.config import get_settings
from doorbraak.meldingen import bezorging


def _draai(args: argparse.Namespace) -> int:
    from doorbraak.werk.systeem import omgeving

    settings = get_settings()
    if not settings.smtp_host:
        print("DOORBRAAK_SMTP_HOST is niet ingesteld: er wordt niets verzonden.")
        return 2
    werk = bezorging.digest if args.meldingen_opdracht == "digest" else bezorging.bezorg_direct

    async def draai() -> bezorging.Resultaat:
        async with omgeving(settings) as omg:
            return await werk(omg.maker, settings)

    r = asyncio.run(draai())
    print(
        f"meldingen {args.meldingen_opdracht}: {r.verzonden} verzonden, {r.mislukt} mislukt "
        f"(later opnieuw), {r.opgegeven} opgegeven, {r.overgeslagen} overgeslagen"
    )
    return 1 if r.mislukt else 0


def registreer(sub: Any) -> None:
    m = sub.add_parser("meldingen", help="e-mail meldingen over SMTP").add_subparsers(
        dest="meldingen_opdracht", required=True
    )
    d = m.add_parser(
        "digest",
        help="send today's digest to everyone whose preference is dagelijks (at most one a "
        "day per medewerker, however often it runs)",
    )
    d.set_defaults(func=_draai)
    b = m.add_parser(
        "bezorgen", help="send direct meldingen that are due (new, or retried after backoff)"
    )
    b.set_defaults(func=_draai)
