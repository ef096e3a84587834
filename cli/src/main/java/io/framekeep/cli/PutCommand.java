package io.framekeep.cli;

import io.framekeep.client.AckEvent;
import io.framekeep.client.FramekeepClient;
import io.framekeep.client.PutMediaListener;
import io.framekeep.client.PutMediaOptions;
import io.framekeep.client.PutMediaResult;
import io.framekeep.client.ResourceNotFoundException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code framekeep put}: PutMedia from a Matroska file or from stdin, with progress on stderr.
 * Exit codes: 0 all media sent and acknowledged, 1 runtime or server error, 2 usage error, 3 the
 * server ended the upload with an ERROR ack (its ErrorId and name are printed).
 */
@Command(name = "put", mixinStandardHelpOptions = true,
    description = {"Upload Matroska (MKV) media to a stream with PutMedia, from a file or from "
        + "standard input ('-'), e.g.:",
        "  ffmpeg ... -f matroska -live 1 - | framekeep put --stream cam1 -",
        "Progress (fragments persisted, MB/s) goes to standard error."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:All media was sent and the server acknowledged it.",
        "1:Runtime or server error (e.g. unknown stream, connection lost).",
        "2:Usage error.",
        "3:The server ended the upload with an ERROR ack; its ErrorId is printed."})
public final class PutCommand implements Callable<Integer> {
  /** Without a terminal, a progress line at most this often. */
  static final long PLAIN_PROGRESS_PERIOD_MS = 10_000;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Option(names = "--stream", required = true, paramLabel = "NAME", description = "Stream name.")
  String stream;

  @Option(names = "--create",
      description = "Create the stream first if it does not exist (see --retention-hours).")
  boolean create;

  @Option(names = "--retention-hours", paramLabel = "HOURS", defaultValue = "24",
      description = "Data retention of a stream made by --create (default: ${DEFAULT-VALUE}).")
  int retentionHours;

  @Option(names = "--timecode-type", paramLabel = "TYPE", defaultValue = "RELATIVE",
      description = "RELATIVE (cluster times count from --producer-start, as ffmpeg -live 1 "
          + "writes them) or ABSOLUTE (cluster times are epoch ms). Default: ${DEFAULT-VALUE}.")
  String timecodeType;

  @Option(names = "--producer-start", paramLabel = "TIME",
      description = "Producer start time for RELATIVE timecodes (default: now; a file then "
          + "gets timestamps that run its length ahead of now, which 'ls --stream' and 'clip' "
          + "include by default). " + CliSupport.TIME_FORMATS)
  String producerStart;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "MKV file, or '-' for stdin.")
  String input;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    return CliSupport.run(spec, this::upload);
  }

  private int upload() throws Exception {
    String type = timecodeType.toUpperCase(Locale.ROOT);
    if (!type.equals(PutMediaOptions.RELATIVE) && !type.equals(PutMediaOptions.ABSOLUTE)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--timecode-type must be RELATIVE or ABSOLUTE");
    }
    Instant start = producerStart != null ? CliSupport.parseTime(producerStart, clock) : null;
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    try (FramekeepClient c = client.build();
        InputStream in = "-".equals(input) ? new BufferedInputStream(System.in)
            : Files.newInputStream(Path.of(input))) {
      if (create) {
        try {
          c.describeStream(stream);
        } catch (ResourceNotFoundException missing) {
          c.createStream(stream, retentionHours);
          err.println("Created stream " + stream + " (retention " + retentionHours + " h)");
        }
      }
      Progress progress = new Progress(err, clock);
      PutMediaResult r = c.putMedia(stream, in, new PutMediaOptions(type, start), progress);
      progress.finish();
      if (r.error() != null) {
        AckEvent e = r.error();
        err.println("error: PutMedia ERROR ack: ErrorId " + e.errorId() + " " + e.errorName()
            + (e.fragmentNumber() != null && !e.fragmentNumber().isEmpty()
                ? " (fragment " + e.fragmentNumber() + ")" : "")
            + "; " + r.fragmentsPersisted() + " fragments were persisted before it");
        err.flush();
        return CliSupport.EXIT_ERROR_ACK;
      }
      out.println("Persisted " + r.fragmentsPersisted() + " fragments ("
          + CliSupport.megabytes(r.bytesSent()) + ") to stream " + stream
          + (r.lastPersistedFragmentNumber() != null
              ? "; last fragment " + r.lastPersistedFragmentNumber() : ""));
      out.flush();
      return CliSupport.EXIT_OK;
    }
  }

  /** Prints progress: one redrawn line on a terminal, else a line every 10 s. Thread-safe. */
  private static final class Progress implements PutMediaListener {
    private final PrintWriter err;
    private final Clock clock;
    private final boolean tty = CliSupport.interactive();
    private final long startMs;
    private final AtomicInteger persisted = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long lastPrintMs;

    Progress(PrintWriter err, Clock clock) {
      this.err = err;
      this.clock = clock;
      this.startMs = clock.millis();
      this.lastPrintMs = startMs;
    }

    @Override
    public void onAck(AckEvent ack) {
      if (ack.type() == AckEvent.Type.PERSISTED) {
        persisted.incrementAndGet();
        maybePrint();
      }
    }

    @Override
    public void onBytesSent(long totalBytes) {
      bytes.set(totalBytes);
    }

    private synchronized void maybePrint() {
      long now = clock.millis();
      if (tty) {
        err.print("\r" + line(now));
        err.flush();
      } else if (now - lastPrintMs >= PLAIN_PROGRESS_PERIOD_MS) {
        err.println(line(now));
        err.flush();
        lastPrintMs = now;
      }
    }

    synchronized void finish() {
      if (tty) {
        err.println("\r" + line(clock.millis()));
      } else {
        err.println(line(clock.millis()));
      }
      err.flush();
    }

    private String line(long nowMs) {
      double seconds = Math.max(0.001, (nowMs - startMs) / 1000.0);
      return String.format(Locale.ROOT, "%d fragments persisted, %s sent, %.2f MB/s",
          persisted.get(), CliSupport.megabytes(bytes.get()), bytes.get() / 1e6 / seconds);
    }
  }
}
