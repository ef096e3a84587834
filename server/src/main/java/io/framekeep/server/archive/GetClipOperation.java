package io.framekeep.server.archive;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.ClipTimestampRange;
import io.framekeep.api.model.FragmentSelectorType;
import io.framekeep.api.model.GetClipRequest;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mp4.ClipLayout;
import io.framekeep.media.mp4.ClipSource;
import io.framekeep.media.mp4.ProgressiveMp4Builder;
import io.framekeep.media.mp4.SampleRun;
import io.framekeep.server.MediaErrors;
import io.framekeep.server.ServiceLimits;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.server.retention.RetentionWindow;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.storage.ByteRange;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code POST /getClip}: a progressive MP4 of the fragments that start in the range.
 *
 * <p>Checks run in the order of spec §4.6: arguments, stream, retention, fragment selection,
 * codecs (first fragment's track set, codec private data presence, parse, consistency), then the
 * whole file layout is computed from the index and the frame tables alone, and the media bytes go
 * from storage to the socket without entering the heap (segment files are sent with sendfile).
 */
public final class GetClipOperation implements Operation {
  public static final String CONTENT_TYPE = "video/mp4";

  private final StreamResolver resolver;
  private final FragmentLog fragments;
  private final ClipHeaders headers;
  private final ServiceLimits limits;
  private final Clock clock;
  private final FragmentQuotas quotas;

  public GetClipOperation(StreamResolver resolver, FragmentLog fragments, ServiceLimits limits,
      FragmentQuotas quotas, Clock clock) {
    this.quotas = quotas;
    this.resolver = resolver;
    this.fragments = fragments;
    this.headers = new ClipHeaders(fragments);
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws IOException {
    return handle(body, caller, name -> null);
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller, Function<String, String> httpHeaders)
      throws IOException {
    boolean exactTrim = ClipTrimming.exactRequested(httpHeaders.apply(ClipTrimming.HEADER));
    GetClipRequest request = Json.read(body, GetClipRequest.class).validate(clock.instant());
    StreamRecord stream = resolver.resolve(request.streamName(), request.streamArn());
    if (stream.dataRetentionHours() == 0) {
      throw ApiException.of(AwsError.NO_DATA_RETENTION,
          "The stream " + stream.name() + " has no data retention, so it has no archived media.");
    }
    ClipTimestampRange range = request.clipFragmentSelector().timestampRange();
    TimeOrigin origin = request.clipFragmentSelector().type()
        == FragmentSelectorType.PRODUCER_TIMESTAMP ? TimeOrigin.PRODUCER : TimeOrigin.SERVER;
    long earliestServerMs = RetentionWindow.earliestServerMs(stream, clock);
    long selectFromMs = range.startTimestamp().toEpochMilli();
    if (exactTrim) {
      // Trimming needs the fragment the start falls in, which AWS's selection leaves out.
      selectFromMs = ClipSelection.startOfFragmentAt(fragments, stream.streamId(), origin,
          selectFromMs, limits.maxFragmentDurationMs(), earliestServerMs);
    }
    List<FragmentRecord> chosen = ClipSelection.select(fragments, stream.streamId(), origin,
        selectFromMs, range.endTimestamp().toEpochMilli(),
        limits.maxClipFragments(), limits.maxClipBytes(), earliestServerMs);
    if (chosen.isEmpty()) {
      throw ApiException.resourceNotFound("No fragments found in the stream for the clip request.");
    }
    // AWS: a clip costs one metadata and one media point per fragment in it (spec §5.3).
    quotas.charge(stream.streamId(), chosen.size(), chosen.size());
    try {
      MkvHeader header = headers.commonHeader(chosen);
      List<FrameTable> tables = new ArrayList<>(chosen.size());
      for (FragmentRecord f : chosen) {
        tables.add(FrameTable.decode(f.frameTable()));
      }
      ClipSource.Trim trim = exactTrim ? ClipTrimming.window(origin,
          range.startTimestamp().toEpochMilli(), range.endTimestamp().toEpochMilli(), chosen)
          : null;
      List<String> names = chosen.stream().map(f -> FragmentNumbers.format(f.sequence())).toList();
      // Producer time is the clip's timeline: fragments of several uploads keep their distance.
      List<Long> producerMs = chosen.stream().map(FragmentRecord::producerTimestampMs).toList();
      ClipLayout layout = ProgressiveMp4Builder.build(
          new ClipSource(header, tables, trim, names, producerMs));
      return Response.FileSlices.open(CONTENT_TYPE, layout.prefix(), slices(chosen, layout),
          layout.totalBytes(), fragments);
    } catch (MediaFormatException e) {
      throw MediaErrors.toApi(e);
    }
  }

  private static List<Response.Slice> slices(List<FragmentRecord> chosen, ClipLayout layout) {
    List<Response.Slice> slices = new ArrayList<>(layout.runs().size());
    for (SampleRun run : layout.runs()) {
      FragmentRecord f = chosen.get(run.fragmentIndex());
      slices.add(new Response.Slice(new ByteRange(f, run.offsetInFragment(), run.lengthBytes()),
          run.annexBToLengthPrefixed(), run.outputBytes()));
    }
    return slices;
  }
}
