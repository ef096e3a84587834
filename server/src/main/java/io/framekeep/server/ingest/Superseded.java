package io.framekeep.server.ingest;

import io.framekeep.server.ServiceLimits;

/**
 * Stops parsing at the first fragment after a newer connection took over.
 *
 * <p>Credential rotation (spec §3.7; AWS's producer SDK opens a new PutMedia about 3 s before it
 * ends the old one): a second connection to a stream is accepted as the stream's successor (a
 * third is refused, {@link StreamClaims}). Its response starts at once; its body is held (not
 * parsed, soon not read) until it owns the stream. When its first body bytes arrive it asks the
 * owner to hand over: an owner between fragments ends at once; an owner inside a fragment finishes
 * receiving that fragment and ends when the next one would start (or when its body ends), so its
 * in-flight fragment is archived and acked and whatever it sends after that is dropped, not
 * archived. Either way the old response ends cleanly (PERSISTED acks for everything archived, then
 * the end of the chunked response, no ERROR). An owner that has not finished its fragment within
 * the longest fragment duration ({@link ServiceLimits#maxFragmentDurationMs()}, 20 s: a producer
 * sending in real time cannot take longer) is ended: its unfinished fragment is dropped without
 * RECEIVED or PERSISTED ack and its connection is closed. The successor then continues the stream,
 * its fragment numbers following the old connection's.
 */
final class Superseded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Superseded() {
    super(null, null, false, false);
  }
}
