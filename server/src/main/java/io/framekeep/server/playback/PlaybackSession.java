package io.framekeep.server.playback;

import io.framekeep.api.model.PlaybackMode;
import io.framekeep.storage.TimeOrigin;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Everything a playback session needs, carried inside its session token so that the server keeps
 * no per-session state: any node holding the signing key can serve any session.
 *
 * <p>Session fragment numbers (the {@code FragmentNumber} of media requests) are stored fragment
 * sequence numbers minus {@link #baseSequence}; the session's time zero is {@link
 * #timelineOriginMs} in producer time (the media timeline; see SessionStarter).
 *
 * <p>Binary form (big-endian), version {@link #VERSION}:
 *
 * <pre>
 *   u8 version, u8 protocol (0 HLS, 1 DASH), u8 mode (PlaybackMode ordinal),
 *   u8 origin (0 SERVER, 1 PRODUCER), u8 container (0 fMP4, 1 MPEG-TS),
 *   u8 discontinuity (0 ALWAYS, 1 NEVER, 2 ON_DISCONTINUITY),
 *   u8 flags (bit 0 display fragment timestamps, bit 1 display fragment numbers),
 *   i64 streamId, i64 startMs, i64 endMs (Long.MAX_VALUE: open), i64 createdMs, i64 expiresMs,
 *   i64 timelineOriginMs, i64 firstFragmentMs, i64 headerId, i64 baseSequence, i32 maxFragments
 * </pre>
 *
 * @param startMs range start in the origin's epoch ms (LIVE: unused, Long.MIN_VALUE)
 * @param endMs range end, inclusive, or Long.MAX_VALUE when open
 * @param firstFragmentMs start of the session's first fragment (LIVE_REPLAY reveals later
 *     fragments from here on, at their natural pace)
 * @param headerId the stored MKV header the init segment is made from
 */
record PlaybackSession(
    Protocol protocol,
    PlaybackMode mode,
    TimeOrigin origin,
    boolean mpegTs,
    Discontinuity discontinuity,
    boolean displayTimestamps,
    boolean displayNumbers,
    long streamId,
    long startMs,
    long endMs,
    long createdMs,
    long expiresMs,
    long timelineOriginMs,
    long firstFragmentMs,
    long headerId,
    long baseSequence,
    int maxFragments) {

  /** Layout version; a token of another version is refused (sessions are short-lived). */
  static final int VERSION = 1;
  /** Seven one-byte fields, nine longs, one int. */
  static final int ENCODED_BYTES = 7 + 9 * 8 + 4;

  enum Protocol { HLS, DASH }

  enum Discontinuity { ALWAYS, NEVER, ON_DISCONTINUITY }

  byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(ENCODED_BYTES);
    out.put((byte) VERSION);
    out.put((byte) protocol.ordinal());
    out.put((byte) mode.ordinal());
    out.put((byte) (origin == TimeOrigin.PRODUCER ? 1 : 0));
    out.put((byte) (mpegTs ? 1 : 0));
    out.put((byte) discontinuity.ordinal());
    out.put((byte) ((displayTimestamps ? 1 : 0) | (displayNumbers ? 2 : 0)));
    out.putLong(streamId);
    out.putLong(startMs);
    out.putLong(endMs);
    out.putLong(createdMs);
    out.putLong(expiresMs);
    out.putLong(timelineOriginMs);
    out.putLong(firstFragmentMs);
    out.putLong(headerId);
    out.putLong(baseSequence);
    out.putInt(maxFragments);
    return out.array();
  }

  /** Decodes a payload whose signature was already checked; null when it is not a session. */
  static PlaybackSession decode(byte[] bytes) {
    if (bytes.length != ENCODED_BYTES || bytes[0] != VERSION) {
      return null;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
      Protocol protocol = Protocol.values()[in.get()];
      PlaybackMode mode = PlaybackMode.values()[in.get()];
      TimeOrigin origin = in.get() == 1 ? TimeOrigin.PRODUCER : TimeOrigin.SERVER;
      boolean mpegTs = in.get() == 1;
      Discontinuity discontinuity = Discontinuity.values()[in.get()];
      int flags = in.get();
      return new PlaybackSession(protocol, mode, origin, mpegTs, discontinuity, (flags & 1) != 0,
          (flags & 2) != 0, in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
          in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getInt());
    } catch (ArrayIndexOutOfBoundsException | BufferUnderflowException e) {
      return null;
    }
  }
}
