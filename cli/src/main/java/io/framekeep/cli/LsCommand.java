package io.framekeep.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framekeep.client.ClipRange;
import io.framekeep.client.FramekeepClient;
import io.framekeep.client.Fragment;
import io.framekeep.client.StreamSummary;
import io.framekeep.client.TimestampType;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code framekeep ls}: the streams, or the fragments of one stream in a time range, as a table
 * or as JSON. Exit codes: 0 listed, 1 runtime or server error, 2 usage error.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = {"List the streams, or with --stream the fragments of one stream whose start "
        + "lies in --start..--end, as a table or --json.",
        CliSupport.WHOLE_STREAM_HELP},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Listed.", "1:Runtime or server error (e.g. unknown stream).",
        "2:Usage error."})
public final class LsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Option(names = "--stream", paramLabel = "NAME", description = "List this stream's fragments.")
  String stream;

  @Option(names = "--start", paramLabel = "TIME",
      description = "Fragments starting at or after this (default: the stream's beginning). "
          + CliSupport.TIME_FORMATS)
  String start;

  @Option(names = "--end", paramLabel = "TIME",
      description = "Fragments starting at or before this (default: the stream's end, also"
          + " past now).")
  String end;

  @Option(names = "--server-time", description = "--start/--end are server timestamps.")
  boolean serverTime;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    return CliSupport.run(spec, this::list);
  }

  private int list() throws Exception {
    if (stream == null && (start != null || end != null)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--start/--end need --stream");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (FramekeepClient c = client.build()) {
      if (stream == null) {
        printStreams(out, c.listStreams());
      } else {
        Instant to = end != null ? CliSupport.parseTime(end, clock) : CliSupport.WHOLE_STREAM_END;
        Instant from = start != null ? CliSupport.parseTime(start, clock)
            : CliSupport.WHOLE_STREAM_START;
        if (!to.isAfter(from)) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--end must be after --start");
        }
        TimestampType type = serverTime ? TimestampType.SERVER : TimestampType.PRODUCER;
        printFragments(out, c.listFragments(stream, new ClipRange(from, to, type)));
      }
    }
    out.flush();
    return CliSupport.EXIT_OK;
  }

  private void printStreams(PrintWriter out, List<StreamSummary> streams) throws Exception {
    if (json) {
      ArrayNode a = JSON.createArrayNode();
      for (StreamSummary s : streams) {
        ObjectNode o = a.addObject();
        o.put("StreamName", s.streamName());
        o.put("StreamARN", s.streamArn());
        o.put("Status", s.status());
        o.put("MediaType", s.mediaType());
        o.put("DataRetentionInHours", s.dataRetentionInHours());
        o.put("CreationTime", s.creationTime() == null ? null : s.creationTime().toString());
      }
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a));
      return;
    }
    String format = "%-32s %-8s %10s  %-24s %s%n";
    out.printf(format, "NAME", "STATUS", "RETENTION", "CREATED", "ARN");
    for (StreamSummary s : streams) {
      out.printf(format, s.streamName(), s.status(), s.dataRetentionInHours() + "h",
          s.creationTime(), s.streamArn());
    }
  }

  private void printFragments(PrintWriter out, List<Fragment> fragments) throws Exception {
    if (json) {
      ArrayNode a = JSON.createArrayNode();
      for (Fragment f : fragments) {
        ObjectNode o = a.addObject();
        o.put("FragmentNumber", f.fragmentNumber());
        o.put("ProducerTimestamp", f.producerTimestamp().toString());
        o.put("ServerTimestamp", f.serverTimestamp().toString());
        o.put("FragmentLengthInMilliseconds", f.lengthMs());
        o.put("FragmentSizeInBytes", f.sizeBytes());
      }
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a));
      return;
    }
    String format = "%-48s %-26s %-26s %9s %12s%n";
    out.printf(format, "FRAGMENT NUMBER", "PRODUCER TIME", "SERVER TIME", "LENGTH ms", "BYTES");
    for (Fragment f : fragments) {
      out.printf(format, f.fragmentNumber(), f.producerTimestamp(), f.serverTimestamp(),
          f.lengthMs(), f.sizeBytes());
    }
  }
}
