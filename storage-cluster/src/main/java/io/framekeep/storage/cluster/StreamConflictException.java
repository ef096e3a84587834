package io.framekeep.storage.cluster;

import java.io.IOException;

/**
 * An import ({@link ClusterImporter}) found a different stream of the same name in the cluster, or fragments
 * that differ from the ones it would copy: it refuses to overwrite them.
 */
public final class StreamConflictException extends IOException {

  private final String streamName;

  public StreamConflictException(String streamName, String difference) {
    super("the cluster already has a different stream named " + streamName + ": " + difference);
    this.streamName = streamName;
  }

  public String streamName() {
    return streamName;
  }
}
