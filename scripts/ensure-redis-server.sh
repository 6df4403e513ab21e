#!/usr/bin/env bash
# Installs redis-server, redis-cli and openssl when they are missing (apt-get; as root, or through sudo -n).
# Used by the quick start (npm run quickstart) and by CI: the integration tests and the demo start
# real redis-server processes, and TLS test certificates come from openssl.
set -euo pipefail
step() { printf '\n=== %s\n' "$*"; }

# The integration tests start real redis-server processes (TLS certificates come from openssl);
# without them the run must fail, not skip, so install them when missing.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# redis-cli (package redis-tools) is how people inspect the test cluster: `redis-cli --cluster check`.
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if ((${#missing[@]} > 0)); then
  step "apt-get install ${missing[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing ${missing[*]} and no apt-get: install redis-server, redis-cli and openssl first" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo -n); fi
  # Keep the package from starting a system redis-server on port 6379: the tests start their own.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod +x "$policy"
    trap '"${sudo[@]}" rm -f "$policy"' EXIT
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
redis-server --version
redis-cli --version
openssl version

