#!/bin/sh
# First start of the postgres container (docker-entrypoint-initdb.d): the app's own login role.
# It owns nothing; `doorbraak migrate` (as the owner, POSTGRES_USER) grants it read/write on the
# tables and only INSERT/SELECT on the logboek (docs/installation.md).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v wachtwoord="$DOORBRAAK_APP_PASSWORD" <<'SQL'
CREATE ROLE doorbraak_app LOGIN PASSWORD :'wachtwoord';
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
