package io.framekeep.server.ingest;

/**
 * One PutMedia acknowledgement, written as a flat JSON object followed by a newline — the form
 * the KVS service sends and the producer SDKs' ack parsers read (spec §3.7): FragmentNumber is a
 * string, FragmentTimecode and ErrorId numbers; IDLE carries neither.
 */
record AckEvent(String eventType, long fragmentTimecode, String fragmentNumber, int errorId) {
  static final String BUFFERING = "BUFFERING";
  static final String RECEIVED = "RECEIVED";
  static final String PERSISTED = "PERSISTED";
  static final String ERROR = "ERROR";
  static final String IDLE = "IDLE";

  static AckEvent of(String type, long timecode, String fragmentNumber) {
    return new AckEvent(type, timecode, fragmentNumber, 0);
  }

  static AckEvent idle() {
    return new AckEvent(IDLE, 0, null, 0);
  }

  static AckEvent error(long timecode, String fragmentNumber, int errorId) {
    return new AckEvent(ERROR, timecode, fragmentNumber == null ? "" : fragmentNumber, errorId);
  }

  String toJsonLine() {
    StringBuilder sb = new StringBuilder(160).append("{\"EventType\":\"").append(eventType);
    if (IDLE.equals(eventType)) {
      return sb.append("\"}\n").toString();
    }
    sb.append("\",\"FragmentTimecode\":").append(fragmentTimecode);
    sb.append(",\"FragmentNumber\":\"").append(fragmentNumber).append('"');
    if (ERROR.equals(eventType)) {
      sb.append(",\"ErrorId\":").append(errorId);
      sb.append(",\"ErrorCode\":\"").append(AckErrors.name(errorId)).append('"');
    }
    return sb.append("}\n").toString();
  }
}
