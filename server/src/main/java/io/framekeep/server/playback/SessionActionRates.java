package io.framekeep.server.playback;

import io.framekeep.server.quota.RequestRate;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * AWS's per-session request rates of the playback actions (spec §5.2), each counted per session
 * token: playlists, the manifest and the init segment 5 per second, media segments 20 per second
 * (with the burst {@link RequestRate} allows). A player fetching in real time stays far below
 * them; a client racing through an archive is told ClientLimitExceededException, as on AWS.
 * Off when the server runs without quotas. Thread-safe.
 */
final class SessionActionRates {
  /** A playback action and AWS's transactions per second per session for it. */
  enum Action {
    GET_HLS_MASTER_PLAYLIST("GetHLSMasterPlaylist", 5),
    GET_HLS_MEDIA_PLAYLIST("GetHLSMediaPlaylist", 5),
    GET_DASH_MANIFEST("GetDASHManifest", 5),
    GET_MP4_INIT_FRAGMENT("GetMP4InitFragment", 5),
    GET_MP4_MEDIA_FRAGMENT("GetMP4MediaFragment", 20),
    GET_TS_FRAGMENT("GetTSFragment", 20);

    final String awsName;
    final int perSecond;

    Action(String awsName, int perSecond) {
      this.awsName = awsName;
      this.perSecond = perSecond;
    }
  }

  private final Map<Action, RequestRate> rates = new EnumMap<>(Action.class);

  SessionActionRates(boolean enabled, Clock clock) {
    for (Action action : Action.values()) {
      rates.put(action, new RequestRate(enabled, action.perSecond,
          action.awsName + " requests per session", clock));
    }
  }

  /**
   * Counts one request of {@code action} in the session of {@code token}, or refuses it.
   *
   * @throws io.framekeep.api.error.ApiException ClientLimitExceededException over the rate
   */
  void acquire(Action action, String token) {
    rates.get(action).acquire(token);
  }
}
