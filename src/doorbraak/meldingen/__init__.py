"""E-mail meldingen: an outbox written with the event, delivered over SMTP after commit
(directly or in a daily digest, as each medewerker prefers), with a sent-log and retries."""
