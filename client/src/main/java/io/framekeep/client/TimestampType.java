package io.framekeep.client;

/** Which clock a time range refers to: the producer's (PRODUCER_TIMESTAMP) or arrival time. */
public enum TimestampType {
  PRODUCER("PRODUCER_TIMESTAMP"),
  SERVER("SERVER_TIMESTAMP");

  private final String wireName;

  TimestampType(String wireName) {
    this.wireName = wireName;
  }

  /** The FragmentSelectorType value on the wire. */
  public String wireName() {
    return wireName;
  }
}
