"""The unit of work, for every origin (an HTTP request, a CLI command, a job): one session, one
actor, the tijdlijn and the logboek written the same way, one commit. Above kit/ and logboek/."""
