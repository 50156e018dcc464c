# doorbraak: production image. Two stages: the first builds a wheel and installs it with its
# dependencies into a virtualenv; the second gets that virtualenv and the migrations only (no
# compiler, no pip cache, no tests, no source tree).
#
#   docker build -t doorbraak .
#   docker volume create doorbraak-var
#   docker run --rm --env-file doorbraak.env -v doorbraak-var:/app/var doorbraak doorbraak migrate
#   docker run -d -p 127.0.0.1:8000:8000 --env-file doorbraak.env -v doorbraak-var:/app/var doorbraak
#
# See docs/installation.md and docker-compose.yml. Any base image with `python3` (3.11 or newer)
# and its venv module works: without a registry, pass one made from Debian packages
# (`--build-arg PYTHON_IMAGE=localhost/debian-python:bookworm`, see .ci/run). PIP_ARGS lets such
# a build install from local wheels (`--no-index --find-links /build/wheels`).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG PIP_ARGS=""
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
RUN python3 -m venv /opt/doorbraak
# What .dockerignore lets in: pyproject.toml, README.md, src/ (and migrations/, alembic.ini), and
# wheels/ when an offline build brought one.
COPY . ./
# A regular (non-editable) install: the image runs the package, not the source tree.
# hadolint ignore=SC2086
RUN /opt/doorbraak/bin/pip install --no-compile ${PIP_ARGS} . \
    && /opt/doorbraak/bin/python -m compileall -q /opt/doorbraak/lib
# deduce builds its lookup tables on first use (1-2 minutes) and caches them inside its package:
# built here, once, so that a container's de-identification is ready in seconds, not minutes.
RUN /opt/doorbraak/bin/python -m doorbraak.leren.anonimiteit

FROM ${PYTHON_IMAGE} AS runtime
# Listening on 0.0.0.0 needs real authentication: dev mode (demo tokens) is refused there, so
# the image defaults to oidc and refuses to start until the OIDC settings are given.
# One worker: right for the default SQLite database; on PostgreSQL set DOORBRAAK_WORKERS.
ENV PATH=/opt/doorbraak/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DOORBRAAK_MIGRATIONS_DIR=/app/migrations \
    DOORBRAAK_DATABASE_URL=sqlite+aiosqlite:////app/var/doorbraak.db \
    DOORBRAAK_EXPORT_MAP=/app/var/export \
    DOORBRAAK_AUTH_MODE=oidc \
    DOORBRAAK_LOG_FORMAT=json \
    DOORBRAAK_WORKERS=1 \
    XDG_CACHE_HOME=/tmp/cache
# XDG_CACHE_HOME: fontconfig (WeasyPrint's PDFs) keeps its cache there; the home /app is not
# writable, which cost a "No writable cache directories" warning per PDF worker.
# WeasyPrint (the PDF documents: kit/document.py) loads pango, harfbuzz and fontconfig at run time,
# and needs a font: the Debian packages .ci/run installs for the tests (docs/installation.md).
# Without them a PDF is answered 503 `pdf-niet-beschikbaar`. Not pinned to versions: the image
# follows the base image's Debian release and its security updates (and a local base from
# mmdebstrap has other build numbers than the public python image).
# A base that has them already (the local base .ci/image.sh makes without network in the build)
# skips the download.
# PAKKETTEN is split into words on purpose (SC2086).
# hadolint ignore=DL3008,SC2086
RUN PAKKETTEN="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core" \
    && if ! dpkg -s $PAKKETTEN >/dev/null 2>&1; then \
        apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PAKKETTEN \
        && rm -rf /var/lib/apt/lists/*; \
    fi
RUN groupadd --system --gid 10001 doorbraak \
    && useradd --system --uid 10001 --gid doorbraak --home-dir /app --shell /usr/sbin/nologin doorbraak
WORKDIR /app
COPY --from=build /opt/doorbraak /opt/doorbraak
COPY alembic.ini ./
COPY migrations ./migrations
RUN mkdir -p /app/var/export /app/var/logboek-ankers && chown -R doorbraak:doorbraak /app/var
USER 10001:10001
# /app/var holds the SQLite database (when no PostgreSQL is configured) and API-started exports:
# mount a volume here for the migrate and the serve container alike (docs/installation.md).
VOLUME ["/app/var"]
EXPOSE 8000
# Liveness: the process answers and reaches its database (slim images have no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python3", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4).status == 200 else 1)"]
# Migrations are NOT run here: `doorbraak migrate` is its own step (docker-compose.yml: `migrate`).
# The reverse proxy in front must be named in --forwarded-allow-ips (default: loopback only).
STOPSIGNAL SIGTERM
CMD ["doorbraak", "serve", "--host", "0.0.0.0", "--port", "8000", "--graceful-timeout", "25"]
