"""A corpus of Dutch sentences written for the de-identification check of shared texts.

Every sentence is written as a verhaal or a systeem-leerpunt could be, in the context of one casus
whose household is recorded as HUISHOUDEN, in an organisation whose staff are the demo
medewerkers. LEKKEND must each be refused (they identify someone: a name of the household, of staff
or of anyone else, an address, a BSN, a contact detail, a date of birth, also disguised); SCHOON
must each be accepted (they tell what worked without identifying anyone).
"""

from __future__ import annotations

HUISHOUDEN = "Henk van Dijk"
TWEEDE_HUISHOUDEN = "Familie Demir"

# (sentence, household of the casus)
LEKKEND: list[tuple[str, str]] = [
    # the household, by surname with a title or tussenvoegsel
    ("Meneer Van Dijk kon in zijn huis blijven.", HUISHOUDEN),
    ("Meneer van Dijk was opgelucht toen het dak dicht was.", HUISHOUDEN),
    ("De heer Van Dijk kreeg binnen een week een nieuw dak.", HUISHOUDEN),
    ("Dankzij de snelle aanpak zat de familie Van Dijk weer warm.", HUISHOUDEN),
    ("Van Dijk belde zelf de corporatie.", HUISHOUDEN),
    ("Het gezin van Henk kon blijven wonen.", HUISHOUDEN),
    ("Henk is weer aan het werk.", HUISHOUDEN),
    ("henk van dijk heeft nu een vaste woning", HUISHOUDEN),
    ("Dijk en zijn zoon zijn blij met de oplossing.", HUISHOUDEN),
    ("De familie Demir woont weer droog.", TWEEDE_HUISHOUDEN),
    ("Demir kreeg uitstel van betaling.", TWEEDE_HUISHOUDEN),
    ("Mevrouw Demir vertelde dat ze weer slaapt.", TWEEDE_HUISHOUDEN),
    # the household, disguised
    ("Meneer Van D\u200bijk kon in zijn huis blijven.", HUISHOUDEN),
    ("He\u00adnk is weer aan het werk.", HUISHOUDEN),
    ("H\u0435nk is weer aan het werk.", HUISHOUDEN),  # Cyrillic е
    ("Meneer Van Dіjk kon blijven.", HUISHOUDEN),  # Cyrillic і
    ("Ｈｅｎｋ is weer aan het werk.", HUISHOUDEN),  # full-width
    ("Dem\u2060ir kreeg uitstel van betaling.", TWEEDE_HUISHOUDEN),
    # staff
    ("Dankzij Karim en Eva kwam er schot in.", HUISHOUDEN),
    ("Sanne de Vries regelde de sleutel.", HUISHOUDEN),
    ("Het werd opgelost door Joost van Vastgoed.", HUISHOUDEN),
    ("Marieke gaf meteen rugdekking.", HUISHOUDEN),
    ("Peter Visser nam de regie.", HUISHOUDEN),
    ("Collega Bakker pakte het op.", HUISHOUDEN),
    ("Zonder Lotte was het niet gelukt.", HUISHOUDEN),
    ("Karim\u200b El Amrani hield de regie vast.", HUISHOUDEN),
    ("Dank aan mevrouw Mulder voor het snelle besluit.", HUISHOUDEN),
    ("K\u0430rim belde elke week.", HUISHOUDEN),  # Cyrillic а
    # other people, found by deduce or by a title
    ("Mevrouw Jansen-de Boer kreeg een urgentieverklaring.", HUISHOUDEN),
    ("Dhr. Pietersen kan nu zijn huur betalen.", HUISHOUDEN),
    ("mw. El Idrissi is blij met de schuldhulp.", HUISHOUDEN),
    ("Zijn dochter Fleur gaat weer naar school.", HUISHOUDEN),
    ("De buurman, Gerrit Hoekstra, hielp bij de verhuizing.", HUISHOUDEN),
    ("Wijkagent Bas de Graaf bracht de partijen bij elkaar.", HUISHOUDEN),
    ("Haar zoon Mohammed vond een stageplek.", HUISHOUDEN),
    ("Oma Truus paste op de kinderen.", HUISHOUDEN),
    ("De huisarts, dokter Van der Meer, schreef een brief.", HUISHOUDEN),
    ("Familie Bouzian kreeg een andere woning.", HUISHOUDEN),
    ("Het echtpaar De Wit kreeg een traplift.", HUISHOUDEN),
    ("Jan-Willem Kok had eindelijk weer inkomen.", HUISHOUDEN),
    ("Mijnheer Yıldız is weer aan het werk.", HUISHOUDEN),
    # addresses
    ("Het gezin uit de Spoorstraat 12 zit weer warm.", HUISHOUDEN),
    ("De woning aan de Kerkweg 4a is gerepareerd.", HUISHOUDEN),
    ("Op Laan van Meerdervoort 112 kwam de aannemer binnen een dag.", HUISHOUDEN),
    ("Ze wonen nu op de Dorpsstraat nummer 7.", HUISHOUDEN),
    ("Het adres is 2514 AB 12.", HUISHOUDEN),
    ("Verhuisd naar Hoofdstraat 23, 3011 BA Rotterdam.", HUISHOUDEN),
    ("De lekkage aan de Bloemgracht 45-2 is verholpen.", HUISHOUDEN),
    # BSN, contact details
    ("BSN 111 222 333 stond op de brief.", HUISHOUDEN),
    ("Met nummer 111.222.333 ging het aanvragen snel.", HUISHOUDEN),
    ("Het BSN 111222333 bleek onjuist geregistreerd.", HUISHOUDEN),
    ("Het nummer 1112\u200b22333 klopte niet in het systeem.", HUISHOUDEN),
    ("Mail gerust naar henk.vandijk@example.nl voor vragen.", HUISHOUDEN),
    ("Bereikbaar via h.dijk＠example.nl.", HUISHOUDEN),
    ("Bel de bewoner op 06-12345678.", HUISHOUDEN),
    ("Telefonisch bereikbaar op +31 6 1234 5678.", HUISHOUDEN),
    ("Het vaste nummer is 010 123 4567.", HUISHOUDEN),
    # dates of birth and full dates
    ("De bewoner, geboren 12-03-1965, woont er al dertig jaar.", HUISHOUDEN),
    ("Geboren op 3 maart 1965 en nu eindelijk geholpen.", HUISHOUDEN),
    ("Geboortedatum 1965-03-12, alleenstaand.", HUISHOUDEN),
    ("Op 14 februari 2025 kreeg het gezin de sleutel.", HUISHOUDEN),
    ("Het kind is jarig op 5 mei en kreeg een fiets.", HUISHOUDEN),
    # mixed
    ("Henk (Spoorstraat 12) is geholpen door Eva.", HUISHOUDEN),
    ("Familie Van Dijk, bel 0612345678.", HUISHOUDEN),
]

SCHOON: list[str] = [
    "De woning lekte en de corporatie herstelde het dak binnen een week.",
    "Door een keukentafelgesprek met alle afdelingen kwam er binnen twee weken een oplossing.",
    "De regiehouder nam de knoop door en het gezin zat weer warm.",
    "Vastgoed en Sociaal Domein spraken af wie de kosten draagt.",
    "Een tijdelijke kachel overbrugde de weken tot de reparatie.",
    "Het huishouden kreeg uitstel van betaling tot de schuldhulp rond was.",
    "We vroegen eerst wat de bewoner zelf wilde bereiken.",
    "Door de hardheidsclausule kon de regel wijken voor het doel.",
    "Afwijken van de drie offertes bespaarde zes weken wachten.",
    "De wijkcoach bleef het eerste aanspreekpunt voor het gezin.",
    "Met een warme overdracht naar schuldhulp bleef niemand tussen wal en schip.",
    "Het kostte minder dan een jaar doormodderen zou kosten.",
    "De bewoner kan weer slapen zonder emmers onder de lekkage.",
    "In maart kwam de aannemer, in april was het dak dicht.",
    "De afdeling Wonen regelde binnen drie dagen een noodwoning.",
    "Het gezin kon blijven wonen dankzij snelle samenwerking.",
    "Een vast contactpersoon per afdeling maakte het verschil.",
    "Na de zomer kon de oudste zoon weer naar school.",
    "Werk en Inkomen zette de uitkering door terwijl de aanvraag liep.",
    "We betaalden de reparatie eerst en verrekenden de kosten later.",
    "De huurachterstand van ruim 2.000 euro werd in een regeling gezet.",
    "Het Centrum voor Jeugd en Gezin sloot aan bij het tweede gesprek.",
    "De GGZ-aanbieder kwam op huisbezoek in plaats van op kantoor.",
    "De casus liet zien dat de termijn van acht weken te lang is bij acute nood.",
    "Een moeder van 34 met drie kinderen kreeg weer grip op haar geld.",
    "De regel over drie offertes past niet bij spoedreparaties onder de 5.000 euro.",
    "In 2024 liepen vier casussen vast op dezelfde werkinstructie.",
    "Zonder rugdekking had niemand durven afwijken; met rugdekking ging het in een dag.",
    "Bij de bakker om de hoek hing een briefje van de bewonerscommissie.",
    "De woningcorporatie in Utrecht nam de kosten van de nieuwe kozijnen op zich.",
    "Het team leerde dat een kort lijntje met de corporatie veel oplevert.",
    "De doorbraak was een tijdelijke woning; daarna vielen de andere problemen op hun plek.",
    "Het huishouden had vijf hulpverleners; nu is er een plan met een regisseur.",
    "Binnen veertien dagen lag er een besluit, waar het eerder zes maanden duurde.",
]
