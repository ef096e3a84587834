#!/usr/bin/env bash
# Starts `./framekeep serve` on a free port with a fresh data directory and its generated
# credential, plus HTTPS with the one-flag self-signed certificate on a second port; runs
# e2e_test.py against the plain port with boto3 and the AWS CLI, then its HTTPS subset against the
# TLS port with the generated certificate as CA bundle, and stops the server.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port="$(free_port)"
tls_port="$(free_port)"
log="$work/server.log"

"$root/framekeep" serve --port "$port" --tls-self-signed --tls-port "$tls_port" \
  --data-dir "$work/data" >"$work/stdout" 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT

# The launcher may first build the JAR and train its class-data archive, slow on a loaded machine:
# a generous deadline, ended as soon as the server listens or exits.
START_DEADLINE_S=600
deadline=$((SECONDS + START_DEADLINE_S))
while ((SECONDS < deadline)); do
  grep -q "^Framekeep listening on" "$work/stdout" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { echo "server exited:"; cat "$log"; exit 1; }
  sleep 0.1
done
grep -q "^Framekeep listening on" "$work/stdout" || { echo "server did not start"; cat "$log"; exit 1; }
curl -fsS "http://127.0.0.1:$port/health" >/dev/null
# The launcher execs the JVM (same pid) with -XX:+ExitOnOutOfMemoryError, so that a server out of
# memory exits for its supervisor to restart instead of living on deaf.
tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qx -- '-XX:+ExitOnOutOfMemoryError' \
  || { echo "the server JVM runs without -XX:+ExitOnOutOfMemoryError"; exit 1; }

# The serve command printed the generated credential as export lines: use them as a user would.
eval "$(grep '^  export ' "$work/stdout")"
export FRAMEKEEP_ENDPOINT="http://127.0.0.1:$port"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
cd "$here"
if ! python3 e2e_test.py; then
  echo "---- server log ----"; tail -50 "$log"; exit 1
fi
ca_bundle="$work/data/tls/self-signed-cert.pem"
curl -fsS --cacert "$ca_bundle" "https://127.0.0.1:$tls_port/health" >/dev/null
if ! FRAMEKEEP_ENDPOINT="https://127.0.0.1:$tls_port" FRAMEKEEP_CA_BUNDLE="$ca_bundle" \
    FRAMEKEEP_E2E_SUBSET=https python3 e2e_test.py; then
  echo "---- server log ----"; tail -50 "$log"; exit 1
fi
bash "$here/oom_exit.sh"
