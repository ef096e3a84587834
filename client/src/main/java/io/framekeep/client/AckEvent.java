package io.framekeep.client;

/**
 * One PutMedia acknowledgement (spec §3.7), flat JSON on the wire:
 * {@code {"EventType":"PERSISTED","FragmentTimecode":1000,"FragmentNumber":"9134..."}}.
 *
 * @param type the event; {@link Type#UNKNOWN} for a spelling this client does not know
 * @param fragmentTimecode the fragment's cluster timecode as ingested, or -1 when absent
 * @param fragmentNumber decimal fragment number, or null (IDLE, and some errors)
 * @param errorId ErrorId of an ERROR ack (see {@link AckErrors}), else 0
 * @param errorCode the symbolic name the service sent, or null
 */
public record AckEvent(Type type, long fragmentTimecode, String fragmentNumber, int errorId,
    String errorCode) {
  /** EventType values, exact upper-case spellings. */
  public enum Type { BUFFERING, RECEIVED, PERSISTED, ERROR, IDLE, UNKNOWN }

  /** The symbolic name of this error: the one sent, else the table's, else "UNKNOWN_ERROR". */
  public String errorName() {
    return errorCode != null && !errorCode.isEmpty() ? errorCode : AckErrors.name(errorId);
  }
}
