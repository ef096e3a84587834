package io.framekeep.client;

/**
 * How a PutMedia upload ended.
 *
 * @param bytesSent Matroska bytes written to the connection
 * @param fragmentsPersisted PERSISTED acks received (durably stored fragments)
 * @param fragmentsReceived RECEIVED acks received
 * @param lastPersistedFragmentNumber the last PERSISTED fragment's number, or null
 * @param error the ERROR ack that ended the session, or null when the upload completed
 */
public record PutMediaResult(long bytesSent, int fragmentsPersisted, int fragmentsReceived,
    String lastPersistedFragmentNumber, AckEvent error) {
  public boolean succeeded() {
    return error == null;
  }
}
