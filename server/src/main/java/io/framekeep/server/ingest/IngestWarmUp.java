package io.framekeep.server.ingest;

import io.framekeep.media.FrameInspection;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.IngestLimits;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the media half of the ingest path (Matroska parsing, frame inspection, frame-table encoding)
 * over a built-in 3-second MKV, in memory, many times, on one low-priority thread right after the
 * server starts listening, so that the JIT has compiled it before the first producers arrive rather
 * than while they wait for their first PERSISTED acks. Nothing is stored: no stream, no segment, no
 * index row. The media ({@code warm-up.mkv}: H.264 + AAC, live layout, one cluster per second, as
 * ffmpeg's {@code -f matroska -live 1} writes it) is the {@code avc_aac_live_3s.mkv} test fixture.
 *
 * <p>Once per JVM: compiled code is shared by every server in it, so a second server started in
 * the same JVM (tests) does not warm up again. Turned off with the system property
 * {@code framekeep.ingestWarmUp=false} (for comparisons).
 */
public final class IngestWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(IngestWarmUp.class);
  private static final String RESOURCE = "warm-up.mkv";
  /**
   * Passes over the 3-second MKV: 300 passes are 900 fragments and about 40 MB parsed and
   * inspected, enough for C2 to compile the parser's and the inspector's loops (their hot methods
   * pass the tiered thresholds within the first few dozen passes); about 0.3-0.5 s of one core.
   */
  static final int PASSES = 300;
  /** The body is fed in pieces of this size, as Netty hands over an upload's chunks. */
  static final int PIECE_BYTES = 16 * 1024;

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private IngestWarmUp() {}

  /** Starts the warm-up on its own daemon thread unless turned off; returns at once. */
  public static void startInBackground() {
    if (!Boolean.parseBoolean(System.getProperty("framekeep.ingestWarmUp", "true"))
        || !STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> {
      long t0 = System.nanoTime();
      try {
        int fragments = run(PASSES);
        LOG.debug("ingest warm-up: {} fragments in {} ms", fragments, (System.nanoTime() - t0) / 1_000_000);
      } catch (IOException | RuntimeException e) {
        LOG.warn("ingest warm-up failed (serving is not affected): {}", e.toString());
      }
    }, "framekeep-ingest-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Runs {@code passes} passes on the calling thread; returns the number of fragments ingested. */
  static int run(int passes) throws IOException {
    byte[] mkv = load();
    int fragments = 0;
    for (int pass = 0; pass < passes; pass++) {
      fragments += ingestOnce(mkv);
    }
    return fragments;
  }

  private static byte[] load() throws IOException {
    try (InputStream in = IngestWarmUp.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + RESOURCE + " missing");
      }
      return in.readAllBytes();
    }
  }

  private static int ingestOnce(byte[] mkv) throws IOException {
    Collector collector = new Collector();
    MkvIngestParser parser = new MkvIngestParser(collector, IngestLimits.kvsDefaults());
    try {
      for (int at = 0; at < mkv.length; at += PIECE_BYTES) {
        parser.feed(ByteBuffer.wrap(mkv, at, Math.min(PIECE_BYTES, mkv.length - at)));
      }
      parser.finish();
    } catch (MediaFormatException e) {
      throw new IOException("built-in warm-up media does not parse", e);
    }
    return collector.fragments;
  }

  /** What a session does with each fragment, minus storage: keep its bytes, inspect and encode. */
  private static final class Collector implements MkvIngestParser.Listener {
    private final ByteArrayOutputStream fragment = new ByteArrayOutputStream();
    private MkvHeader header;
    private int fragments;

    @Override
    public void onHeader(MkvHeader h) {
      header = h;
    }

    @Override
    public void onFragmentStart(long clusterTimecodeTicks) {
      fragment.reset();
    }

    @Override
    public void onFragmentBytes(ByteBuffer bytes) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.get(copy);
      fragment.writeBytes(copy);
    }

    @Override
    public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) {
      byte[] payload = fragment.toByteArray();
      try {
        FrameTable inspected = FrameInspection.inspect(header, frames,
            (offset, size) -> ByteBuffer.wrap(payload, offset, size).slice());
        inspected.encode();
        FragmentDurations.durationMs(header, inspected);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      fragments++;
    }
  }
}
