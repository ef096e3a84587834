#!/usr/bin/env bash
# A server out of memory exits instead of living on deaf. Starts `./framekeep serve` as a user
# would but with a 16 MiB heap (FRAMEKEEP_JAVA_OPTS), exhausts the heap with concurrent 1 MiB JSON
# requests (signatures off, so each body is buffered, copied and parsed), and checks that the JVM
# terminated itself with -XX:+ExitOnOutOfMemoryError's message and status 3. Without the flag the
# worker threads catch the error and the process keeps listening.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

FRAMEKEEP_JAVA_OPTS="-Xmx16m" "$root/framekeep" serve --port "$port" --data-dir "$work/data" \
  --no-auth >"$work/stdout" 2>"$work/stderr" &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  grep -q "^Framekeep listening on" "$work/stdout" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
grep -q "^Framekeep listening on" "$work/stdout" || { echo "oom: server did not start"; cat "$work/stderr"; exit 1; }

python3 - "$port" <<'PY'
import socket, sys, threading, time
port = int(sys.argv[1])
# One JSON string of almost 1 MiB (the body limit): buffered, copied to a byte[] and parsed.
body = b'{"StreamNameCondition":{"ComparisonOperator":"BEGINS_WITH","ComparisonValue":"' \
    + b"a" * (1024 * 1024 - 100) + b'"}}'
head = (f"POST /listStreams HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
def send():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(head + body)
            s.recv(1024)
    except OSError:
        pass
deadline = time.time() + 60
while time.time() < deadline:
    threads = [threading.Thread(target=send) for _ in range(32)]
    for t in threads: t.start()
    for t in threads: t.join()
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        break  # the server is gone
PY

for _ in $(seq 1 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
  echo "FAIL a server out of memory exits: still running"; tail -20 "$work/stderr"; exit 1
fi
set +e; wait $pid; status=$?; set -e
# The JVM writes its message to standard output.
if [ "$status" -ne 3 ] || ! grep -q "Terminating due to java.lang.OutOfMemoryError" "$work/stdout"; then
  echo "FAIL a server out of memory exits: status $status"; tail -20 "$work/stderr"; exit 1
fi
echo "PASS a server out of memory exits (status 3, -XX:+ExitOnOutOfMemoryError)"
