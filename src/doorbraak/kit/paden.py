"""Path parameters that routing itself must recognise (not only validation)."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

# A kenmerk looks like DB-2026-0042. Routing only matches `{kenmerk}` on this shape, so that
# `/casussen/_zoek` is never mistaken for a casus (and other methods there answer 405).
KENMERK_REGEX = r"DB-[0-9]{4}-[0-9]{4,6}"
PAD_REGEXEN = {"kenmerk": KENMERK_REGEX}


class KenmerkConvertor(Convertor[str]):
    regex = KENMERK_REGEX

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("kenmerk", KenmerkConvertor())


def met_convertors(pad: str) -> str:
    """`/casussen/{kenmerk}` -> `/casussen/{kenmerk:kenmerk}` for the router."""
    for naam in PAD_REGEXEN:
        pad = pad.replace("{" + naam + "}", "{" + naam + ":" + naam + "}")
    return pad
