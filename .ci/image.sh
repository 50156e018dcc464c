#!/usr/bin/env bash
# The container image, built for real with podman (issue 20). No registry is reachable here, so
# the base image is made locally from Debian packages (mmdebstrap: bookworm, python3 and its venv
# module) and passed as PYTHON_IMAGE; the Dockerfile's default stays the public python image.
# The build cannot reach PyPI either (TLS to the outside is only trusted on the host), so the
# host builds the wheels and the build installs them with --no-index.
#
# Then the image is run as docs/installation.md says (a named volume shared by `migrate` and
# `serve`; health and readiness; SIGTERM ends with exit 0). When the container runtime refuses
# to run it (these machines may refuse setting resource limits), the image's file system is
# checked instead: non-root user, command, the package importable, migrations present.
#
# Cache: the base tarball in /var/cache/doorbraak-ci (made from nothing when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=/var/cache/doorbraak-ci
# The name says what is in it: a cached base without the PDF libraries is not reused.
BASIS_TAR="$CACHE/debian-bookworm-python3-pango.tar"
BASIS=localhost/doorbraak-basis:bookworm-pango
IMAGE=localhost/doorbraak:ci
POORT=8853
NAAM=doorbraak-ci-image
VOLUME=doorbraak-ci-var
t0=$(date +%s)
stap() { printf -- '--- %s (+%ss)\n' "$*" "$(( $(date +%s) - t0 ))"; }

if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v runc >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    podman mmdebstrap runc uidmap fuse-overlayfs slirp4netns ca-certificates >/dev/null
fi

stap "base image"
mkdir -p "$CACHE"
if [ ! -s "$BASIS_TAR" ]; then
  mmdebstrap --quiet --format=tar --variant=minbase --include=python3,python3-venv,ca-certificates,libpango-1.0-0,libpangoft2-1.0-0,libharfbuzz0b,libharfbuzz-subset0,libfontconfig1,fonts-dejavu-core \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    bookworm "$BASIS_TAR.tmp" http://deb.debian.org/debian
  mv "$BASIS_TAR.tmp" "$BASIS_TAR"
fi
podman image exists "$BASIS" || podman import --quiet "$BASIS_TAR" "$BASIS" >/dev/null

stap "wheels on the host"
rm -rf wheels
zonder_ruis() { grep -v "^WARNING: Location 'file:" >&2 || true; }
.venv/bin/pip wheel --quiet --wheel-dir wheels . 2> >(zonder_ruis)
.venv/bin/pip download --quiet --only-binary=:all: --dest wheels 'setuptools>=69' wheel 2> >(zonder_ruis)
trap 'rm -rf wheels; podman rm -f "$NAAM" >/dev/null 2>&1 || true; podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true' EXIT

# runc with limits no higher than this machine's: crun cannot run here (hybrid cgroups), and
# raising RLIMIT_NOFILE/NPROC is refused.
RUNTIME=(--runtime=runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
# No systemd here to time podman's HEALTHCHECK runs (the HEALTHCHECK itself is in the image).
RUN_OPT=(--no-healthcheck)
stap "podman build"
podman build --quiet --format docker "${RUNTIME[@]}" \
  --build-arg PYTHON_IMAGE="$BASIS" \
  --build-arg PIP_ARGS="--no-index --find-links /build/wheels" \
  -t "$IMAGE" . >/dev/null
rm -rf wheels

stap "image configuration"
[ "$(podman image inspect "$IMAGE" --format '{{.Config.User}}')" = "10001:10001" ]
podman image inspect "$IMAGE" --format '{{json .Config.Cmd}}' | grep -q '"doorbraak","serve"'
if podman image inspect "$IMAGE" --format '{{json .Config.Cmd}}' | grep -q -- '--workers'; then
  echo "the image's CMD must not fix the worker count (DOORBRAAK_WORKERS does)"; exit 1
fi

# The image renders a PDF with WeasyPrint (its pango, harfbuzz and fonts from the Dockerfile).
PDF_PROEF='import weasyprint; pdf = weasyprint.HTML(string="<h1>Proef</h1>").write_pdf(); assert pdf.startswith(b"%PDF") and len(pdf) > 500, len(pdf); print("pdf in the image:", len(pdf), "bytes")'

ENVFILE=$(mktemp)
cat > "$ENVFILE" <<'ENV'
DOORBRAAK_OIDC_ISSUER=https://login.gemeente.example/realms/gemeente
DOORBRAAK_OIDC_AUDIENCE=doorbraak
DOORBRAAK_OIDC_JWKS_URL=https://login.gemeente.example/realms/gemeente/protocol/openid-connect/certs
DOORBRAAK_BSN_KEY=Y2ktc2xldXRlbC12b29yLWRlLWltYWdlLXRlc3QtMzI=
DOORBRAAK_PSEUDONYM_KEY=ci-pseudoniem-sleutel-voor-de-image-test
ENV
# The logboek key of docs/installation.md's env file: `serve` in oidc mode refuses the
# development key, so the image is run with a key of its own, as an operator would.
echo "DOORBRAAK_LOGBOEK_SLEUTEL=$(.venv/bin/doorbraak logboek sleutel --nieuw ci)" >> "$ENVFILE"

stap "podman run"
if podman run --rm "${RUNTIME[@]}" "${RUN_OPT[@]}" "$IMAGE" true 2>/dev/null; then
  # docs/installation.md, "Container", with podman for docker.
  podman volume create "$VOLUME" >/dev/null
  podman run --rm "${RUNTIME[@]}" "${RUN_OPT[@]}" --env-file "$ENVFILE" -v "$VOLUME:/app/var" "$IMAGE" doorbraak migrate
  podman run -d "${RUNTIME[@]}" "${RUN_OPT[@]}" --name "$NAAM" --env-file "$ENVFILE" -v "$VOLUME:/app/var" \
    -p "127.0.0.1:$POORT:8000" --stop-timeout 30 "$IMAGE" >/dev/null
  gereed=""
  for _ in $(seq 1 60); do
    gereed=$(curl -fsS "http://127.0.0.1:$POORT/api/v1/health/gereed" 2>/dev/null) && break
    sleep 0.5
  done
  echo "health/gereed: $gereed"
  echo "$gereed" | grep -q '"status":"gereed"'
  curl -fsS "http://127.0.0.1:$POORT/api/v1/health" | grep -q '"database":"ok"'
  [ "$(podman exec "$NAAM" id -u)" = "10001" ]
  # WeasyPrint finds pango and a font in the image: a PDF, not 503 pdf-niet-beschikbaar.
  # ... without fontconfig complaining about a cache it cannot write (XDG_CACHE_HOME).
  pdf_uit=$(podman exec "$NAAM" python3 -c "$PDF_PROEF" 2>&1)
  echo "$pdf_uit"
  ! echo "$pdf_uit" | grep -q "No writable cache"
  # deduce's tables come built with the image: the shared de-identification process is ready
  # in seconds (building them in the container took about two minutes).
  deid=""
  for _ in $(seq 1 120); do
    deid=$(curl -fsS "http://127.0.0.1:$POORT/api/v1/health/gereed" 2>/dev/null | grep -o '"deidentificatie":"[a-z-]*"') || true
    [ "$deid" = '"deidentificatie":"gereed"' ] && break
    sleep 0.5
  done
  echo "de-identification after start: $deid (+$(( $(date +%s) - t0 ))s)"
  [ "$deid" = '"deidentificatie":"gereed"' ]
  # one worker and the shared de-identification process
  [ "$(podman exec "$NAAM" sh -c 'ls /proc/[0-9]*/cmdline | wc -l')" -lt 10 ]
  podman stop -t 30 "$NAAM" >/dev/null
  code=$(podman inspect "$NAAM" --format '{{.State.ExitCode}}')
  echo "exit code after SIGTERM: $code"
  [ "$code" = "0" ]
  # A fresh volume without `migrate`: alive, but not ready (the mistake the docs warn about).
  podman volume rm -f "$VOLUME" >/dev/null && podman rm -f "$NAAM" >/dev/null
  podman run -d "${RUNTIME[@]}" "${RUN_OPT[@]}" --name "$NAAM" --env-file "$ENVFILE" -p "127.0.0.1:$POORT:8000" "$IMAGE" >/dev/null
  status=""
  for _ in $(seq 1 60); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$POORT/api/v1/health/gereed") && [ "$status" != "000" ] && break
    sleep 0.5
  done
  echo "health/gereed without migrate: $status"
  [ "$status" = "503" ]
  podman rm -f "$NAAM" >/dev/null
else
  echo "podman cannot run containers here: checking the image's file system instead"
  mnt=$(podman image mount "$IMAGE")
  grep -q '^doorbraak:x:10001:10001:' "$mnt/etc/passwd"
  test -f "$mnt/app/migrations/env.py" && ls "$mnt/app/migrations/versions/"*.py >/dev/null
  test -x "$mnt/opt/doorbraak/bin/doorbraak"
  test -f "$(ls -d "$mnt"/opt/doorbraak/lib/python3*/site-packages/doorbraak)/app.py"
  [ "$(stat -c %u "$mnt/app/var")" = "10001" ]
  # Importable: the image's own interpreter and virtualenv, run from the host in a chroot.
  chroot "$mnt" /opt/doorbraak/bin/python -c "import doorbraak.app, doorbraak.migraties"
  chroot "$mnt" /opt/doorbraak/bin/python -c "$PDF_PROEF"
  podman image umount "$IMAGE" >/dev/null
fi
rm -f "$ENVFILE"
stap "image done"
