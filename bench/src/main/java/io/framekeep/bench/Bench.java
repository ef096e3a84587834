package io.framekeep.bench;

import java.nio.file.Path;

/**
 * Entry point of the load benchmarks (see BENCHMARKS.md for the exact commands and results):
 * <pre>
 * clip      &lt;work&gt; &lt;one_hour_live.mkv&gt; &lt;one_hour_cues.mkv&gt;  figures 1, 2, 3 and the unpaced ingest of 4
 * ingest    &lt;work&gt; &lt;base60.mkv&gt; &lt;streams&gt; &lt;seconds&gt; [warm-up s] figure 4, paced streams
 * coldstart &lt;work&gt; &lt;fragments&gt; &lt;streams&gt;                   figure 5
 * tls       &lt;work&gt; &lt;one_hour_live.mkv&gt;                          figure 7, GetClip over HTTPS
 * firstupload &lt;work&gt; &lt;one_hour_live.mkv&gt; &lt;servers&gt;            unpaced upload on fresh servers
 * clipmem   &lt;work&gt; &lt;one_hour_live.mkv&gt; &lt;clips&gt; &lt;rounds&gt;     figure 3 with that many concurrent clips
 * cluster-ingest &lt;work&gt; &lt;base60.mkv&gt; &lt;streams&gt; &lt;seconds&gt; &lt;nodes&gt; [warm-up s] paced streams over cluster nodes
 * cluster-clip &lt;work&gt; &lt;one_hour_live.mkv&gt;                    GetClip from the object store vs embedded
 * </pre>
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[1]);
    switch (args[0]) {
      case "clip" -> ClipBench.run(work, Path.of(args[2]), Path.of(args[3]));
      case "clip1" -> ClipBench.figureOne(work, Path.of(args[2]), Path.of(args[3]), Integer.parseInt(args[4]));
      case "ingest" -> IngestBench.run(work, Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          args.length > 5 ? Integer.parseInt(args[5]) : 0);
      case "tls" -> TlsClipBench.run(work, Path.of(args[2]));
      case "firstupload" -> ClipBench.firstUpload(work, Path.of(args[2]), Integer.parseInt(args[3]));
      case "clipmem" -> ClipBench.memory(work, Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      case "coldstart" -> ColdStartBench.run(work, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "cluster-ingest" -> ClusterIngestBench.run(work, Path.of(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Integer.parseInt(args[5]), args.length > 6 ? Integer.parseInt(args[6]) : 0);
      case "cluster-clip" -> ClusterClipBench.run(work, Path.of(args[2]));
      default -> throw new IllegalArgumentException("unknown benchmark " + args[0]);
    }
  }
}
