package io.framekeep.cli;

import io.framekeep.client.InvalidArgumentException;
import io.framekeep.client.KvsException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Timestamp parsing and error reporting shared by the client commands. Stateless. */
final class CliSupport {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_ERROR_ACK = 3;

  /** Help text of a timestamp option. */
  static final String TIME_FORMATS = "ISO-8601 (2024-05-01T10:00:00Z), epoch seconds "
      + "(1714557600 or 1714557600.250), 'now', or now-N{s|m|h|d} (now-10m).";
  /**
   * Where {@code ls --stream} and {@code clip} start when {@code --start} is left out: the
   * beginning of the stream (no fragment has an earlier timestamp).
   *
   * <p>Why the whole stream rather than a window ending now: {@code put FILE} sends a file as fast
   * as the network allows with producer timestamps counted from now, so a 5-minute file's
   * fragments run 5 minutes into the future; a default range ending now would show the first
   * seconds of it. The whole stream shows all of a file and all of a live camera alike.
   */
  static final Instant WHOLE_STREAM_START = Instant.EPOCH;
  /**
   * Where {@code ls --stream} and {@code clip} end when {@code --end} is left out: the end of the
   * stream, as the latest instant ISO-8601 writes with a four-digit year (later than any
   * fragment, including those timestamped ahead of the clock).
   */
  static final Instant WHOLE_STREAM_END = Instant.parse("9999-12-31T23:59:59Z");
  /** Help text of the default range. */
  static final String WHOLE_STREAM_HELP = "Without --start/--end: the whole stream (from its "
      + "first fragment to its last, also those whose producer timestamps lie ahead of now, as "
      + "after 'put FILE').";

  private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d+)([smhd]))?");

  private CliSupport() {}

  /** Parses a timestamp in one of {@link #TIME_FORMATS}. */
  static Instant parseTime(String text, Clock clock) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = RELATIVE.matcher(t);
    if (m.matches()) {
      if (m.group(1) == null) {
        return clock.instant();
      }
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return clock.instant().minus(d);
    }
    if (t.matches("\\d+(\\.\\d+)?")) {
      BigDecimal seconds = new BigDecimal(t);
      return Instant.ofEpochSecond(seconds.longValue(),
          seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
    try {
      return OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException("'" + text + "' is not a timestamp: use "
          + TIME_FORMATS);
    }
  }

  /**
   * Runs a command body and turns failures into a message on stderr and an exit code: 2 for a
   * request the client refused as invalid, 1 for server and I/O errors.
   */
  static int run(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return body.call();
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (CommandLine.TypeConversionException e) {
      err.println("error: " + e.getMessage());
      return EXIT_USAGE;
    } catch (InvalidArgumentException e) {
      err.println("error: " + e.errorCode() + ": " + e.getMessage());
      return e.statusCode() == 0 ? EXIT_USAGE : EXIT_FAILURE;
    } catch (KvsException e) {
      err.println("error: " + e.errorCode() + ": " + e.getMessage());
      return EXIT_FAILURE;
    } catch (UncheckedIOException e) {
      err.println("error: " + e.getCause().getMessage());
      return EXIT_FAILURE;
    } catch (Exception e) {
      err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      return EXIT_FAILURE;
    } finally {
      err.flush();
    }
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** True when stderr is a terminal, so progress may redraw one line. */
  static boolean interactive() {
    return System.console() != null;
  }
}
