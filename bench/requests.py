#!/usr/bin/env python3
"""Fixed cost per request: time to first byte of signed requests on one keep-alive connection.

Usage: requests.py <port> <stream> <samples> <wrk seconds> [server pid]

For DescribeStream, ListFragments (MaxResults 5) and a one-fragment GetClip it sends <samples>
requests (after 200 warm-up requests) over one keep-alive HTTP/1.1 connection, each signed afresh
by botocore's own SigV4 signer, and reports p50, p99 and max of the time from the last request
byte written to the first response byte. Then, when wrk is installed, it runs wrk for
<wrk seconds> per operation (2 threads, 16 connections) with headers signed once here: SigV4
signatures stay valid for the server's 15-minute clock-skew window, and wrk sends the same bytes
each time. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; region us-east-1.

GET /health (no signature, no worker thread, no storage) is timed the same way first: the floor
the machine itself sets for this client, so that a tail shared by every request shows as such.
With the server's pid, each wrk run also reports the server's CPU time per request (user + system,
from /proc), which unlike latency hardly depends on what else the machine is running.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"
SERVICE = "kinesisvideo"
# Requests answered before timing starts: enough for the JIT to compile the request path.
WARM_UP_REQUESTS = 200
# wrk: one thread per core of the 2-core machine; 16 connections keep both busy.
WRK_THREADS = 2
WRK_CONNECTIONS = 16
# Receive buffer of the timing client: larger than any response measured here (a one-fragment clip
# is about 0.6 MB), so a response is drained in few calls.
RECV_BYTES = 1 << 20


def signed_request(port, path, body):
    """The bytes of one signed POST, as the AWS SDKs send it (SigV4 header signing)."""
    creds = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
    data = json.dumps(body).encode()
    req = AWSRequest(method="POST", url=f"http://127.0.0.1:{port}{path}", data=data,
                     headers={"Content-Type": "application/json"})
    SigV4Auth(creds, SERVICE, REGION).add_auth(req)
    headers = dict(req.headers.items())
    headers["Host"] = f"127.0.0.1:{port}"
    headers["Content-Length"] = str(len(data))
    return path, headers, data


def to_bytes(path, headers, data):
    head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode() + b"\r\n" + data


class KeepAlive:
    """One HTTP/1.1 connection; exchange() returns (status, body, ttfb seconds)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def exchange(self, raw):
        self.sock.sendall(raw)
        t0 = time.perf_counter()
        chunk = self.sock.recv(RECV_BYTES)
        ttfb = time.perf_counter() - t0
        data = self.buf + chunk
        while b"\r\n\r\n" not in data:
            data += self.sock.recv(RECV_BYTES)
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0][9:12])
        length = next(int(l.split(":", 1)[1]) for l in lines if l.lower().startswith("content-length:"))
        parts = [rest]
        got = len(rest)
        while got < length:
            more = self.sock.recv(RECV_BYTES)
            if not more:
                raise IOError("connection closed mid-body")
            parts.append(more)
            got += len(more)
        body = b"".join(parts)
        self.buf = body[length:]
        return status, body[:length], ttfb


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far (clock ticks of 1/100 s)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def health_request(port):
    return f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()


def percentile(sorted_samples, p):
    rank = max(1, -(-len(sorted_samples) * p // 100))
    return sorted_samples[min(len(sorted_samples), int(rank)) - 1]


def measure(conn, port, name, path, body, samples):
    def request():
        return health_request(port) if path == "/health" else to_bytes(*signed_request(port, path, body))
    for _ in range(WARM_UP_REQUESTS):
        status, resp, _ = conn.exchange(request())
        if status != 200:
            raise SystemExit(f"{name}: {status} {resp[:300]!r}")
    ttfbs = []
    for _ in range(samples):
        raw = request()
        status, resp, ttfb = conn.exchange(raw)
        if status != 200:
            raise SystemExit(f"{name}: {status} {resp[:300]!r}")
        ttfbs.append(ttfb * 1000)
    ttfbs.sort()
    print(f"{name:<24} n={samples} TTFB p50 {percentile(ttfbs, 50):.3f} ms  p90 {percentile(ttfbs, 90):.3f} ms"
          f"  p99 {percentile(ttfbs, 99):.3f} ms  max {ttfbs[-1]:.3f} ms  (response {len(resp)} bytes)",
          flush=True)


def wrk(port, name, path, body, seconds, pid):
    path, headers, data = signed_request(port, path, body)
    lua_headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items()
                          if k not in ("Host", "Content-Length"))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(data.decode())}\n{lua_headers}')
        f.write('done = function(summary, latency, requests)\n'
                '  io.write(string.format("non-2xx-or-errors %d\\n", summary.errors.status '
                '+ summary.errors.connect + summary.errors.read + summary.errors.write '
                '+ summary.errors.timeout))\nend\n')
        script = f.name
    cpu0 = cpu_seconds(pid)
    out = subprocess.run(["wrk", "-t", str(WRK_THREADS), "-c", str(WRK_CONNECTIONS), "-d", f"{seconds}s",
                          "--latency", "-s", script, f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - cpu0
    os.unlink(script)
    rps = next(l for l in out.splitlines() if l.startswith("Requests/sec")).split()[1]
    errors = next(l for l in out.splitlines() if l.startswith("non-2xx")).split()[1]
    p50 = next(l for l in out.splitlines() if l.strip().startswith("50%")).split()[1]
    p99 = next(l for l in out.splitlines() if l.strip().startswith("99%")).split()[1]
    total = int(next(l for l in out.splitlines() if "requests in" in l).split()[0])
    per_request = f"; server CPU {cpu / total * 1e6:.0f} us/request" if pid is not None and total else ""
    print(f"wrk {name:<20} {rps} requests/s ({WRK_CONNECTIONS} connections, {WRK_THREADS} threads,"
          f" {seconds} s) latency p50 {p50} p99 {p99}; errors or non-2xx: {errors}{per_request}", flush=True)


def main():
    port, stream, samples, wrk_seconds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    pid = int(sys.argv[5]) if len(sys.argv) > 5 else None
    conn = KeepAlive(port)
    everything = {"FragmentSelectorType": "SERVER_TIMESTAMP",
                  "TimestampRange": {"StartTimestamp": 0, "EndTimestamp": time.time() + 3600}}
    status, listing, _ = conn.exchange(to_bytes(*signed_request(port, "/listFragments", {
        "StreamName": stream, "MaxResults": 1000, "FragmentSelector": everything})))
    if status != 200:
        raise SystemExit(f"listFragments: {status} {listing[:300]!r}")
    fragments = sorted(json.loads(listing)["Fragments"], key=lambda f: f["ProducerTimestamp"])
    if len(fragments) < 3:
        raise SystemExit(f"listFragments: {len(fragments)} fragments, 3 needed")
    # One fragment: from the start of the second fragment to just before the third.
    start, end = fragments[1]["ProducerTimestamp"], fragments[2]["ProducerTimestamp"] - 0.001
    ops = [
        ("DescribeStream", "/describeStream", {"StreamName": stream}),
        ("ListFragments(5)", "/listFragments", {"StreamName": stream, "MaxResults": 5,
                                                 "FragmentSelector": everything}),
        ("GetClip(1 fragment)", "/getClip", {"StreamName": stream, "ClipFragmentSelector": {
            "FragmentSelectorType": "PRODUCER_TIMESTAMP",
            "TimestampRange": {"StartTimestamp": start, "EndTimestamp": end}}}),
    ]
    measure(conn, port, "GET /health (floor)", "/health", None, samples)
    for name, path, body in ops:
        measure(conn, port, name, path, body, samples)
    if wrk_seconds > 0:
        if shutil.which("wrk") is None:
            print("wrk is not installed (apt-get install wrk): no throughput figures", flush=True)
            return
        for name, path, body in ops:
            wrk(port, name, path, body, wrk_seconds, pid)


if __name__ == "__main__":
    main()
