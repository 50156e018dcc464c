"""The statistieken snapshot as a job: `doorbraak statistieken vernieuwen` (cron) and the app's
own periodic run, both one unit of work of the system actor (werk/systeem.py), one commit."""

from __future__ import annotations

from doorbraak.rapportage import lezen
from doorbraak.werk.periodiek import Periodiek
from doorbraak.werk.systeem import Omgeving


async def vernieuwen(omg: Omgeving, *, ouder_dan: float | None = None) -> list[str]:
    """Renew the snapshots (`lezen.vernieuwen`); returns the names renewed. Nothing renewed:
    rolled back, nothing logged (the app looks every few seconds)."""
    async with omg.als_job("statistieken.vernieuwd", "statistieken") as ctx:
        namen = await lezen.vernieuwen(ctx, ouder_dan=ouder_dan)
        if namen:
            ctx.onderwerp("momentopname", ",".join(namen))
        else:
            ctx.afzien()
    return namen


def periodiek(omg: Omgeving) -> Periodiek:
    """The app's own run, every `statistieken_interval_seconden` (0: off, cron runs the
    command): it renews a snapshot once it is `statistieken_max_leeftijd_seconden` old (0: there
    is no snapshot, requests compute the figures)."""
    s = omg.settings
    interval = s.statistieken_interval_seconden if s.statistieken_max_leeftijd_seconden > 0 else 0
    return Periodiek(
        "statistieken",
        interval,
        lambda: vernieuwen(omg, ouder_dan=s.statistieken_max_leeftijd_seconden),
    )
