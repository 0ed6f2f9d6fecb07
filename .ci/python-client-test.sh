#!/usr/bin/env bash
# The Python client (clients/python) against the real engine jar (issue 24):
#   1. finds a python3 that can build the package offline, or installs Debian's;
#   2. builds target/tradestore.jar if it is missing or older than the sources (or uses $TRADESTORE_JAR);
#   3. installs the client with pip into a throw-away virtual environment and imports it from outside the tree,
#      so that its packaging is checked as a user meets it;
#   4. runs its tests (python3 -m unittest), which start engines of their own on temp databases and free ports.
# CI runs it after `mvn -B test` (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

log() { echo "[python-client-test] $*" >&2; }

# a python3 that can build the package offline (setuptools and wheel present: no package index is reachable)
can_build() { "$1" -c 'import venv, ensurepip, setuptools, wheel' >/dev/null 2>&1; }
PYTHON=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && can_build "$candidate"; then PYTHON=$candidate; break; fi
done
if [[ -z $PYTHON ]]; then
  [[ $(id -u) -eq 0 ]] || { log "FAIL: no python3 with venv, setuptools and wheel; install them or run as root"; exit 1; }
  log "installing python3"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-setuptools python3-wheel
  PYTHON=/usr/bin/python3
fi
log "$("$PYTHON" --version) ($PYTHON)"

JAR=${TRADESTORE_JAR:-$REPO/target/tradestore.jar}
if [[ -z ${TRADESTORE_JAR:-} ]] && { [[ ! -f $JAR ]] || [[ -n $(find engine/src engine/pom.xml pom.xml conf migrations -newer "$JAR" -print -quit) ]]; }; then
  log "building $JAR"
  mvn -B -q package -DskipTests
fi
export TRADESTORE_JAR=$JAR

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tradestore-py-ci.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# --system-site-packages: setuptools and wheel come from the system, so that the install needs no package index
"$PYTHON" -m venv --system-site-packages "$WORK/venv"
cp -r "$REPO/clients/python" "$WORK/client" # pip builds in place: keep the build's files out of the tree
"$WORK/venv/bin/python" -m pip install --quiet --no-build-isolation --no-index "$WORK/client"
(cd "$WORK" && "$WORK/venv/bin/python" -c 'import tradestore_client; print("installed", tradestore_client.__file__)')

cd "$REPO/clients/python"
"$WORK/venv/bin/python" -m unittest discover -s tests -t . -v
log "OK"
