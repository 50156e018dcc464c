"""Notities: the conversation on a casus, beside the audit tijdlijn, with @vermeldingen of
medewerkers that notify (an inbox item and an e-mail melding). Casus content: need-to-know."""
