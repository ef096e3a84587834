#!/usr/bin/env bash
# A server out of memory exits instead of living on deaf. Starts `./framekeep serve` as a user
# would but with a 16 MiB heap (FRAMEKEEP_JAVA_OPTS), exhausts the heap with concurrent 1 MiB JSON
# requests (signatures off, so each body is buffered, copied and parsed), and checks that the JVM
# terminated itself with -XX:+ExitOnOutOfMemoryError's message and status 3. Without the flag the
# worker threads catch the error and the process keeps listening.
#
# The memory budget exists to keep connections from exhausting the heap, so it is set far past the
# heap here (as a mis-set --memory-budget-bytes would be), and direct memory, where bodies wait, is
# given room: what runs out is the heap, whose copies and parses of the bodies are not budgeted. The
# requests declare their body's SHA-256, as SDKs do, so that bodies of 1 MiB are read at all (a
# connection without a valid signature may send at most 256 KiB).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

FRAMEKEEP_JAVA_OPTS="-Xmx16m -XX:MaxDirectMemorySize=256m" "$root/framekeep" serve --port "$port" \
  --data-dir "$work/data" --no-auth --memory-budget-bytes $((1024 * 1024 * 1024)) \
  >"$work/stdout" 2>"$work/stderr" &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
# Generous deadlines, each ended early by the condition it waits for: on a loaded machine the
# launcher may build, train its class-data archive and start slowly, the heap may take long to run
# out, and the exit may be slow; only a server that never starts or never exits fails.
START_DEADLINE_S=300
ATTACK_DEADLINE_S=300
EXIT_DEADLINE_S=120
deadline=$((SECONDS + START_DEADLINE_S))
while ((SECONDS < deadline)); do
  grep -q "^Framekeep listening on" "$work/stdout" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
grep -q "^Framekeep listening on" "$work/stdout" || { echo "oom: server did not start"; cat "$work/stderr"; exit 1; }

python3 - "$port" "$pid" "$ATTACK_DEADLINE_S" <<'PY'
import hashlib, os, socket, sys, threading, time
port, pid, attack_s = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
# One JSON string of almost 1 MiB (the body limit): buffered, copied to a byte[] and parsed.
body = b'{"StreamNameCondition":{"ComparisonOperator":"BEGINS_WITH","ComparisonValue":"' \
    + b"a" * (1024 * 1024 - 100) + b'"}}'
head = (f"POST /listStreams HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"x-amz-content-sha256: {hashlib.sha256(body).hexdigest()}\r\n\r\n").encode()
def send():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
            s.sendall(head + body)
            s.recv(1024)
    except OSError:
        pass
def alive():
    # The process itself, not a connection: on a busy machine a connect may time out while the
    # server is still there.
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
deadline = time.time() + attack_s
while time.time() < deadline and alive():
    threads = [threading.Thread(target=send) for _ in range(32)]
    for t in threads: t.start()
    for t in threads: t.join()
PY

deadline=$((SECONDS + EXIT_DEADLINE_S))
while ((SECONDS < deadline)) && kill -0 $pid 2>/dev/null; do sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
  echo "FAIL a server out of memory exits: still running"; tail -20 "$work/stderr"; exit 1
fi
set +e; wait $pid; status=$?; set -e
# The JVM writes its message to standard output.
if [ "$status" -ne 3 ] || ! grep -q "Terminating due to java.lang.OutOfMemoryError" "$work/stdout"; then
  echo "FAIL a server out of memory exits: status $status"; tail -20 "$work/stderr"; exit 1
fi
echo "PASS a server out of memory exits (status 3, -XX:+ExitOnOutOfMemoryError)"
