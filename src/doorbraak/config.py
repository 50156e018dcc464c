"""Settings: the only place that reads the environment (prefix DOORBRAAK_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE = f"sqlite+aiosqlite:///{Path('var/doorbraak.db').as_posix()}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOORBRAAK_", env_file=".env", extra="ignore")

    database_url: str = Field(DEFAULT_SQLITE, description="SQLAlchemy async URL of the database.")
    database_pool_size: int = Field(10, description="Connections per app process (PostgreSQL).")
    database_pool_timeout: float = Field(
        3.0, description="Seconds to wait for a free connection before answering 503."
    )
    database_app_rol: str | None = Field(
        None,
        description=(
            "PostgreSQL: the app's own login role. `doorbraak migrate` (run as the tables' "
            "owner) grants it read/write on the tables and only INSERT/SELECT on the logboek."
        ),
    )
    sqlite_busy_timeout_ms: int = Field(5000, description="SQLite busy timeout in milliseconds.")

    auth_mode: Literal["dev", "oidc"] = Field(
        "dev", description="`dev` accepts the demo tokens (loopback only); `oidc` for production."
    )
    oidc_issuer: str | None = Field(None, description="Expected `iss` of OIDC access tokens.")
    oidc_audience: str | None = Field(None, description="Expected `aud` of OIDC access tokens.")
    oidc_jwks_url: str | None = Field(
        None, description="URL of the identity provider's JWKS (default: from discovery)."
    )
    oidc_discovery: bool = Field(
        True,
        description="Read the IdP's endpoints from `{issuer}/.well-known/openid-configuration` "
        "(cached and refreshed like the JWKS); an endpoint setting overrides the document.",
    )
    oidc_claim: Literal["sub", "email"] = Field(
        "sub",
        description="Claim that finds the medewerker: `sub` (medewerkers.oidc_sub) or `email`.",
    )
    oidc_leeway_seconds: int = Field(
        30, ge=0, le=300, description="Clock skew allowed on exp/nbf/iat."
    )
    oidc_jwks_min_refresh_seconds: float = Field(
        60.0,
        ge=0,
        description="Least time between two JWKS fetches for an unknown `kid` (protects the IdP).",
    )
    auth_cache_seconden: float = Field(
        5.0,
        ge=0,
        le=60,
        description=(
            "How long a worker trusts an API token or OIDC identity it looked up in the database: "
            "a token revoked, expired early or a medewerker deactivated or changed elsewhere "
            "(another worker or host, the CLI) is refused at most this many seconds later; by "
            "the worker that made the change at once. 0 looks up on every request."
        ),
    )
    oidc_jwks_cache_seconds: float = Field(
        3600.0, ge=0, description="How long fetched signing keys are trusted without refetching."
    )
    bsn_key: SecretStr = Field(
        SecretStr("ZGV2LW9ubHktYnNuLWtleS0zMi1ieXRlcy1sb25nISE="),
        description="Base64 key (32 bytes) for BSN encryption; set your own in production.",
    )
    pseudonym_key: SecretStr = Field(
        SecretStr("dev-only-pseudonym-key"),
        description="Key for keyed hashes (BSN search, export pseudonyms).",
    )
    logboek_sleutel: SecretStr = Field(
        SecretStr("dev:ZGV2LW9ubHktbG9nYm9lay1zbGV1dGVsLTMyLWJ5dGVzISE="),
        description=(
            "Keys of the logboek chain and its checkpoints, `<id>:<base64 of >= 32 bytes>`, "
            "several separated by commas; the last is current (docs/security.md). Never stored "
            "in the database; set your own in production."
        ),
    )
    logboek_sleutelbestand: Path | None = Field(
        None,
        description=(
            "File with the logboek keys (one `<id>:<base64>` per line, last is current); "
            "overrides DOORBRAAK_LOGBOEK_SLEUTEL."
        ),
    )
    logboek_ankermap: Path = Field(
        Path("var/logboek-ankers"),
        description=(
            "Folder for the signed checkpoints of the logboek (outside the database; put it on "
            "storage the database administrators cannot write)."
        ),
    )
    logboek_anker_interval_seconden: float = Field(
        300.0,
        ge=0,
        description=(
            "Seconds between two checkpoints of the logboek while the app runs (also one at "
            "start and at shutdown); 0: only at start and shutdown."
        ),
    )
    token_max_dagen: int = Field(
        365,
        ge=1,
        le=3650,
        description=(
            "Longest lifetime of an API token in days; also caps tokens made without an expiry."
        ),
    )
    retentie_dagen: dict[str, int] = Field(
        default_factory=lambda: {
            "opgelost": 7 * 365,
            "niet_opgelost": 7 * 365,
            "elders_belegd": 2 * 365,
            "ingetrokken": 365,
        },
        description=(
            "Days after closing until a casus is anonymised, per afsluitreden (JSON object). "
            "Set them from the municipality's archive selection list."
        ),
    )
    export_map: Path = Field(
        Path("var/export"),
        description="Folder for export runs started through the API (`POST /api/v1/exports`).",
    )
    export_profiel: Literal["rfc4180", "excel"] = Field(
        "rfc4180",
        description="CSV profile of export runs: `rfc4180` (comma, no BOM) or `excel` (BOM, "
        "semicolon, line breaks in values escaped), see docs/export.md. `--profiel` overrides.",
    )
    export_zip: bool = Field(
        False,
        description="Also write `<run>.zip` (the run folder as CSV-in-ZIP) in every run folder. "
        "`--zip` sets it for one run.",
    )
    export_lever_url: str | None = Field(
        None, description="Reporting endpoint the export files are POSTed to (optional)."
    )
    export_lever_token: SecretStr | None = Field(
        None, description="Bearer token for the reporting endpoint."
    )
    export_lever_pogingen: int = Field(
        5, ge=1, le=20, description="Attempts per file before a delivery counts as failed."
    )
    export_lever_wachttijd: float = Field(
        1.0, ge=0, description="First backoff in seconds between attempts (doubles each time)."
    )
    # --- e-mail meldingen over SMTP: the event kind, the kenmerk and a link, never case content ---
    smtp_host: str | None = Field(
        None, description="SMTP server for e-mail meldingen; unset: meldingen wait in the outbox."
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_beveiliging: Literal["starttls", "tls", "geen"] = Field(
        "starttls",
        description="`starttls` (upgrade a plain connection, port 587), `tls` (implicit TLS, port "
        "465) or `geen` (only for a relay on localhost).",
    )
    smtp_gebruiker: str | None = Field(
        None,
        description="SMTP login name (optional); only sent over TLS (`starttls` or `tls`), never "
        "with `geen`.",
    )
    smtp_wachtwoord: SecretStr | None = Field(None, description="SMTP password.")
    smtp_certificaat_controleren: bool = Field(
        True,
        description="Verify the SMTP server's certificate and host name (`starttls` and `tls`). "
        "Switch off only for a test relay: without it anyone on the path can read the mail and "
        "the password.",
    )
    smtp_ca_bestand: Path | None = Field(
        None,
        description="PEM file with the CA certificate(s) the SMTP server's certificate is "
        "verified against (an internal CA); unset: the system's trust store.",
    )
    smtp_afzender: str = Field(
        "doorbraak@gemeente.example", description="From address of e-mail meldingen."
    )
    smtp_timeout_seconden: float = Field(
        10.0, gt=0, description="Timeout of one SMTP conversation."
    )
    meldingen_pogingen: int = Field(
        6, ge=1, le=20, description="Attempts per mail before it is given up (and logged)."
    )
    meldingen_wachttijd_seconden: float = Field(
        30.0, ge=0, description="First backoff between attempts of a mail (doubles each time)."
    )
    meldingen_interval_seconden: float = Field(
        60.0,
        ge=0,
        description="How often an app process looks for mails due for a retry; 0: only right "
        "after a request that created meldingen (and `doorbraak meldingen bezorgen` from cron).",
    )
    statistieken_max_leeftijd_seconden: float = Field(
        60.0,
        ge=0,
        description=(
            "The age at which the app's job renews the snapshot of the statistieken and of the "
            "unfiltered totals of the afwijkingen register (a full pass takes seconds at "
            "national scale); requests serve the snapshot as stored, with its `berekendOp`. 0: "
            "no snapshot, every request computes them."
        ),
    )
    statistieken_interval_seconden: float = Field(
        15.0,
        ge=0,
        description=(
            "How often each app process looks at the snapshot's age (one read) and renews it "
            "when it is `statistieken_max_leeftijd_seconden` old; with several processes one "
            "renews it, the others find it fresh. 0: not in the app; run `doorbraak "
            "statistieken vernieuwen` from cron instead."
        ),
    )
    max_body_bytes: int = Field(1024 * 1024, description="Largest accepted request body.")
    bijlage_max_bytes: int = Field(
        20 * 1024 * 1024,
        gt=0,
        description="Largest accepted bijlage (document on a casus), in bytes; a larger upload "
        "is refused with 413 while it streams in. Only the upload route accepts more than "
        "`max_body_bytes`.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (the OpenAPI document: any)."
    )

    @model_validator(mode="after")
    def _smtp_login_alleen_over_tls(self) -> Settings:
        # A login over a plain connection gives the password to anyone on the path.
        if self.smtp_gebruiker and self.smtp_beveiliging == "geen":
            raise ValueError(
                "DOORBRAAK_SMTP_GEBRUIKER needs DOORBRAAK_SMTP_BEVEILIGING starttls or tls: "
                "credentials are never sent over a plain connection"
            )
        return self

    @field_validator("cors_origins")
    @classmethod
    def _geen_wildcard(cls, origins: list[str]) -> list[str]:
        # Case data must only be readable from known front ends; `*` is for the OpenAPI document.
        if any(o.strip() in ("*", "null") for o in origins):
            raise ValueError("DOORBRAAK_CORS_ORIGINS may not contain '*' or 'null'; list origins")
        return [o.strip().rstrip("/") for o in origins]

    # --- the web frontend: OIDC authorization-code sign-in and the session cookie ---
    oidc_client_id: str | None = Field(
        None, description="Client id of the web frontend at the IdP."
    )
    oidc_client_secret: SecretStr | None = Field(
        None, description="Client secret at the IdP (none for a public client with PKCE)."
    )
    oidc_client_auth: Literal["client_secret_basic", "client_secret_post", "none"] | None = Field(
        None,
        description="How the web frontend authenticates at the token endpoint: HTTP Basic with "
        "the form-encoded id and secret (RFC 6749 2.3.1), the secret in the body, or `none` for "
        "a public client (PKCE only). Default: `client_secret_basic` with a secret, else `none`.",
    )
    oidc_authorization_endpoint: str | None = Field(
        None, description="The IdP's authorization endpoint (default: from discovery)."
    )
    oidc_token_endpoint: str | None = Field(
        None, description="The IdP's token endpoint (default: from discovery)."
    )
    oidc_end_session_endpoint: str | None = Field(
        None,
        description="The IdP's end-session endpoint, for sign-out there too (default: from "
        "discovery).",
    )
    oidc_scopes: str = Field("openid email profile", description="Scopes asked at sign-in.")
    web_sessie_uren: float = Field(
        8.0, gt=0, le=24, description="How long a web session lasts (hours, absolute)."
    )
    web_secure_cookie: bool | None = Field(
        None,
        description="Secure flag on the session cookie; default: when public_base_url is https.",
    )

    public_base_url: str = Field(
        "http://127.0.0.1:8000",
        description="Base URL as browsers see it: the web sign-in's OIDC redirect URI "
        "(`<url>/inloggen/terug`) and the default of the secure cookie flag. The OpenAPI "
        "`servers` entry stays relative (`/api/v1`).",
    )
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Worker processes of `doorbraak serve` (`--workers` overrides). One on "
        "SQLite; on PostgreSQL one or two per CPU core.",
    )
    deidentificatie_socket: str | None = Field(
        None,
        description="Set by `doorbraak serve` for its workers, not by hand: the Unix socket of "
        "the one de-identification process (deduce) the workers share, so that none loads "
        "deduce itself (about 1.1 GB each). Unset (`make run`, the CLI, the tests): deduce is "
        "loaded in the process that checks.",
    )
    kop_timeout_seconden: float = Field(
        10.0,
        gt=0,
        le=300,
        description="`doorbraak serve`: seconds a connection may take to send a request head "
        "(request line and headers), from connecting or, on a kept-alive connection, from the "
        "next request's first byte; then it is closed (408). Bounds slowly sent headers.",
    )

    log_level: Literal["debug", "info", "warning", "error"] = Field(
        "info", description="Least level written by `doorbraak serve` (stderr)."
    )
    log_format: Literal["json", "tekst"] = Field(
        "json",
        description="`json`: one JSON object per line (for log collectors); `tekst` for a terminal.",
    )
    metrics_token: SecretStr | None = Field(
        None,
        description=(
            "Bearer token for `GET /metrics` on the API port; unset: that path answers 404 "
            "(use `doorbraak serve --metrics-port` for an unauthenticated port on a private network)."
        ),
    )
    migrations_dir: Path | None = Field(
        None,
        description=(
            "Folder with the Alembic migrations; unset: `migrations/` of the source tree, "
            "else of the working directory (the container's `/app`)."
        ),
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
