#!/usr/bin/env bash
# Runs the Framekeep benchmarks; see BENCHMARKS.md for what each figure measures and the recorded results.
#   bench/run.sh media                 make the source media in $BENCH_DIR (ffmpeg; about 40 s)
#   bench/run.sh clip                  figures 1, 2, 3 and the unpaced ingest of figure 4
#   bench/run.sh ingest [streams] [s] [warm-up s]  figure 4, paced streams (default 200 x 30 s, no warm-up)
#   bench/run.sh coldstart [n]         figure 5 (default 1,000,000 fragments in 100 streams)
#   bench/run.sh jmh [jmh args]        figure 6
#   bench/run.sh tls                   figure 7, GetClip over HTTPS beside plain HTTP (curl as client)
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
mvn -B -q -o -Dstyle.color=never install -DskipTests -pl bench -am >&2
# Snapshot the classpath into $work/lib so that rebuilds of the tree cannot change a run under way.
rm -rf "$work/lib" && mkdir -p "$work/lib"
for jar in $(mvn -B -q -o -Dstyle.color=never -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout | sed "s/\x1b\[[0-9;]*m//g" | tr ':' ' '); do
  cp "$jar" "$work/lib/"
done
cp -r "$root/bench/target/classes" "$work/lib/bench-classes"
cp="$work/lib/bench-classes:$(ls "$work"/lib/*.jar | tr '\n' ':')"
java_opts="${BENCH_JAVA_OPTS:--Xmx2g}"
case "${1:-}" in
  clip) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench clip "$work" "$work/one_hour.mkv" "$work/one_hour_cues.mkv" ;;
  ingest) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench ingest "$work" "$work/base60.mkv" "${2:-200}" "${3:-30}" "${4:-0}" ;;
  coldstart) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench coldstart "$work" "${2:-1000000}" 100 ;;
  tls) exec java $java_opts -cp "$cp" io.framekeep.bench.Bench tls "$work" "$work/one_hour.mkv" ;;
  jmh) shift; exec java $java_opts -Dbench.mkv="$work/base60.mkv" -cp "$cp" org.openjdk.jmh.Main "$@" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
