package io.framekeep.cli;

import io.framekeep.client.ClipDownload;
import io.framekeep.client.ClipDownloadOptions;
import io.framekeep.client.ClipLimits;
import io.framekeep.client.ClipRange;
import io.framekeep.client.FramekeepClient;
import io.framekeep.client.TimestampType;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code framekeep clip}: one MP4 of a time range of any length, fetched as GetClip pieces and
 * joined. The file appears only when complete (written beside the target, then renamed).
 * Exit codes: 0 written, 1 runtime or server error, 2 usage error.
 */
@Command(name = "clip", mixinStandardHelpOptions = true,
    description = {"Save the media of a time range as one MP4 file. Ranges of any length work: "
        + "the range is fetched in GetClip pieces (at most 200 fragments / 100 MB each) that are "
        + "joined into one seamless file.",
        "The range selects the fragments whose start lies in it, on the producer's clock (or the "
        + "server's with --server-time).",
        CliSupport.WHOLE_STREAM_HELP},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:The clip was written.",
        "1:Runtime or server error (e.g. no fragments in the range).",
        "2:Usage error."})
public final class ClipCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Option(names = "--stream", required = true, paramLabel = "NAME", description = "Stream name.")
  String stream;

  @Option(names = "--start", paramLabel = "TIME",
      description = "Range start (default: the stream's beginning). " + CliSupport.TIME_FORMATS)
  String start;

  @Option(names = "--end", paramLabel = "TIME",
      description = "Range end, inclusive (default: the stream's end, also past now). "
          + CliSupport.TIME_FORMATS)
  String end;

  @Option(names = "--server-time",
      description = "Times are server (arrival) timestamps instead of producer timestamps.")
  boolean serverTime;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
      description = "MP4 file to write ('-' for standard output).")
  String output;

  @Option(names = "--piece-fragments", paramLabel = "N", defaultValue = "200",
      description = "Fragments per GetClip piece (default: ${DEFAULT-VALUE}, AWS's limit).")
  int pieceFragments;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    return CliSupport.run(spec, this::clip);
  }

  private int clip() throws Exception {
    Instant from = start != null ? CliSupport.parseTime(start, clock)
        : CliSupport.WHOLE_STREAM_START;
    Instant to = end != null ? CliSupport.parseTime(end, clock) : CliSupport.WHOLE_STREAM_END;
    if (!to.isAfter(from)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--end (" + to + ") must be after --start (" + from + ")");
    }
    if (pieceFragments < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--piece-fragments must be >= 1");
    }
    PrintWriter err = spec.commandLine().getErr();
    ClipRange range = new ClipRange(from, to, serverTime ? TimestampType.SERVER : TimestampType.PRODUCER);
    boolean tty = CliSupport.interactive();
    ClipDownloadOptions options = ClipDownloadOptions.defaults()
        .withLimits(ClipLimits.awsDefaults().withMaxFragments(pieceFragments))
        .withProgress((done, total, bytes) -> {
          if (tty) {
            err.print("\r" + bar(done, total) + " " + done + "/" + total + " fragments, "
                + CliSupport.megabytes(bytes));
            err.flush();
          }
        });
    try (FramekeepClient c = client.build()) {
      ClipDownload d;
      if ("-".equals(output)) {
        OutputStream stdout = new BufferedOutputStream(System.out);
        d = c.downloadClip(stream, range, stdout, options);
        stdout.flush();
      } else {
        Path target = Path.of(output).toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(partial))) {
          d = c.downloadClip(stream, range, os, options);
        } catch (Exception e) {
          Files.deleteIfExists(partial);
          throw e;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      }
      if (tty) {
        err.println();
      }
      err.println(String.format(Locale.ROOT,
          "Wrote %s: %d fragments in %d GetClip pieces, %s, %.1f s", output, d.fragments(),
          d.pieces(), CliSupport.megabytes(d.bytesWritten()), d.durationMs() / 1000.0));
      err.flush();
      return CliSupport.EXIT_OK;
    }
  }

  private static String bar(int done, int total) {
    int width = 30;
    int filled = total == 0 ? width : (int) ((long) done * width / total);
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
  }
}
