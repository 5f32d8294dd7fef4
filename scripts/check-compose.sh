#!/usr/bin/env bash
# Validates docker-compose.yml against the Compose Specification's JSON schema (the copy vendored
# in check-jsonschema, from PyPI; Docker itself is not needed). Installs the tool into target/tools.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/tools/check-jsonschema
if [ ! -x "$venv/bin/check-jsonschema" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==0.39.0"
fi
"$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml
