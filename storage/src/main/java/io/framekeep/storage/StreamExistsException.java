package io.framekeep.storage;

/** Thrown by {@link StreamCatalog#create} when an undeleted stream already has the requested name. */
public final class StreamExistsException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String streamName;

  public StreamExistsException(String streamName) {
    super("stream already exists: " + streamName);
    this.streamName = streamName;
  }

  /** The name that is already taken. */
  public String streamName() {
    return streamName;
  }
}
