package io.framekeep.server.export;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.server.ServiceLimits;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.archive.GetClipOperation;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.storage.FragmentLog;
import java.time.Clock;
import java.util.function.Function;

/**
 * {@code POST /exportClip} (Framekeep extension): GetClip's request, headers
 * ({@code x-framekeep-clip-trim}) and MP4, without AWS's cut-off at 200 fragments / 100 MB, so that
 * one request gives one file for a whole range (up to GetClip's 24 h) however many fragments it
 * holds. The MP4 streams from the segment files like any GetClip, so neither server nor client
 * memory grows with the clip's size. Authorised as its own action, {@code ExportClip}.
 *
 * <p>Bounded by {@link #MAX_EXPORT_FRAGMENTS}, not by bytes. Not charged to the per-stream fragment
 * quotas, which are sized for AWS's 200-fragment clips (an export of an hour of 1 s fragments
 * would need 3,600 media points against a budget of 500 a second).
 */
public final class ExportClipOperation implements Operation {
  /**
   * 21,600 fragments: six hours of 1 s fragments. The clip's frame tables are all held while its
   * {@code moov} is computed, about 1 KB per fragment: some 20 MB of heap at this cap.
   */
  public static final int MAX_EXPORT_FRAGMENTS = 21_600;

  private final GetClipOperation clip;

  public ExportClipOperation(StreamResolver resolver, FragmentLog fragments, ServiceLimits limits,
      Clock clock) {
    this.clip = new GetClipOperation(resolver, fragments,
        limits.withClipCaps(MAX_EXPORT_FRAGMENTS, Long.MAX_VALUE),
        new FragmentQuotas(false, 0, 0, clock), clock);
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws Exception {
    return clip.handle(body, caller);
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller, Function<String, String> headers)
      throws Exception {
    return clip.handle(body, caller, headers);
  }
}
