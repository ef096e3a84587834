#!/usr/bin/env bash
# Runs the Framekeep benchmarks; see BENCHMARKS.md for what each figure measures and the recorded results.
#   bench/run.sh media                 make the source media in $BENCH_DIR (ffmpeg; about 40 s)
#   bench/run.sh clip                  figures 1, 2, 3 and the unpaced ingest of figure 4
#   bench/run.sh clip1 [runs]          figure 1 alone, with runs timed clips (default 5), e.g. to profile it
#   bench/run.sh ingest [streams] [s] [warm-up s]  figure 4, paced streams (default 200 x 30 s, no warm-up)
#   bench/run.sh coldstart [n]         figure 5 (default 1,000,000 fragments in 100 streams)
#   bench/run.sh jmh [jmh args]        figure 6
#   bench/run.sh tls                   figure 7, GetClip over HTTPS beside plain HTTP (curl as client)
#   bench/run.sh clipmem [n] [rounds]  figure 3 alone: n concurrent 100 MB clips (default 200), server -Xmx256m
#   bench/run.sh firstupload [n]      the whole hour unpaced on each of n just-started servers (default 3)
#   bench/run.sh requests [n] [wrk s]  figure 9: signed-request TTFB (keep-alive, n samples) and wrk requests/s
#   bench/run.sh cluster-ingest [streams] [s] [nodes] [warm-up s]  paced streams over cluster nodes (200 x 30 s, 3, 0)
#   bench/run.sh cluster-clip          a 100 MB GetClip from the object store, cold and repeated, vs embedded
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${BENCH_DIR:-/tmp/fkbench}"
mkdir -p "$work"
cd "$root"
if [ "${1:-}" = media ]; then
  # 60 s of 1080p30 H.264 at 4 Mbit/s + AAC, one keyframe and one cluster per second, as a camera sends it.
  ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 \
      -f lavfi -i sine=frequency=440:sample_rate=48000 -t 60 -c:v libx264 -preset ultrafast \
      -b:v 4M -maxrate 4M -bufsize 8M -g 30 -c:a aac -b:a 128k \
      -f matroska -live 1 -cluster_time_limit 10000 -cluster_size_limit 50000000 "$work/base60.mkv"
  # One hour: the same minute 60 times (stream copy, timestamps continue), live layout and a Cues copy.
  for _ in $(seq 60); do echo "file '$work/base60.mkv'"; done > "$work/list.txt"
  ffmpeg -nostdin -loglevel error -y -f concat -safe 0 -i "$work/list.txt" -c copy \
      -f matroska -live 1 -cluster_time_limit 10000 -cluster_size_limit 50000000 "$work/one_hour.mkv"
  ffmpeg -nostdin -loglevel error -y -i "$work/one_hour.mkv" -c copy "$work/one_hour_cues.mkv"
  exit 0
fi
# Built inside the reactor (package, never install: the shared ~/.m2 keeps only released artifacts); the
# classpath file is written by every module in build order, so bench, built last, leaves its own.
mvn -B -q -o -Dstyle.color=never package dependency:build-classpath -DskipTests -pl bench,cli -am \
    -Dmdep.outputFile="$work/classpath.txt" >&2
# Snapshot the classpath into $work/lib so that rebuilds of the tree cannot change a run under way.
rm -rf "$work/lib" && mkdir -p "$work/lib"
for jar in $(tr ':' ' ' < "$work/classpath.txt"); do
  cp -r "$jar" "$work/lib/"
done
cp "$root/cli/target/framekeep.jar" "$work/framekeep.jar"
cp -r "$root/bench/target/classes" "$work/lib/bench-classes"
cp="$work/lib/bench-classes:$(ls "$work"/lib/*.jar | tr '\n' ':')"
java_opts="${BENCH_JAVA_OPTS:--Xmx2g}"
case "${1:-}" in
  clip) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench clip "$work" "$work/one_hour.mkv" "$work/one_hour_cues.mkv" ;;
  clip1) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench clip1 "$work" "$work/one_hour.mkv" \
      "$work/one_hour_cues.mkv" "${2:-5}" ;;
  ingest) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench ingest "$work" "$work/base60.mkv" "${2:-200}" "${3:-30}" "${4:-0}" ;;
  firstupload) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench firstupload "$work" "$work/one_hour.mkv" "${2:-3}" ;;
  clipmem) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench clipmem "$work" "$work/one_hour.mkv" "${2:-200}" "${3:-2}" ;;
  coldstart) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench coldstart "$work" "${2:-1000000}" 100 ;;
  tls) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench tls "$work" "$work/one_hour.mkv" ;;
  requests)
    # The server as users run it (launcher JVM flags, SigV4 on, quotas off so that wrk measures the
    # request path rather than the per-stream throttle), with one minute of media in one stream.
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    data="$(mktemp -d "$work/requests.XXXXXX")"
    export AWS_ACCESS_KEY_ID=FKIABENCHREQUESTS000 AWS_SECRET_ACCESS_KEY=benchbenchbenchbenchbenchbenchbenchbench
    FRAMEKEEP_JAVA_OPTS="${BENCH_JAVA_OPTS:-}" "$root/framekeep" serve --port "$port" --data-dir "$data" \
        --access-key-id "$AWS_ACCESS_KEY_ID" --secret-access-key "$AWS_SECRET_ACCESS_KEY" --no-quotas \
        > "$work/requests-server.log" 2>&1 &
    server=$!
    trap 'kill $server; wait $server; rm -rf "$data"' EXIT
    until curl -sf "http://127.0.0.1:$port/health" > /dev/null; do sleep 0.05; done
    "$root/framekeep" put --endpoint "http://127.0.0.1:$port" --stream bench --create "$work/base60.mkv" >&2
    python3 "$root/bench/requests.py" "$port" bench "${2:-2000}" "${3:-10}" "$server"
    exit 0 ;;
  jmh) shift; exec java $java_opts -Dbench.mkv="$work/base60.mkv" -cp "$cp" org.openjdk.jmh.Main "$@" ;;
  # PostgreSQL and S3Proxy are started by the bench itself (cluster-test-servers: PostgreSQL binaries from
  # Maven, S3Proxy's jar from the local Maven repository), each on a free loopback port.
  cluster-ingest) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench cluster-ingest "$work" "$work/base60.mkv" \
      "${2:-200}" "${3:-30}" "${4:-3}" "${5:-0}" ;;
  cluster-clip) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench cluster-clip "$work" "$work/one_hour.mkv" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
