package io.framekeep.storage;

/**
 * Factories for the storage module's exceptions whose constructors are package-private, so that the cluster
 * backend throws the very types the server already maps to AWS errors ({@link StreamBusyException} to the
 * connection limit, {@link StorageLimitExceededException} to the KVS size limits). Lives in the storage
 * package of the storage-cluster jar for that reason only; once those constructors are public this class goes.
 */
public final class ClusterStorageErrors {

  private ClusterStorageErrors() {}

  /** Another appender (on this or another node) owns the stream. */
  public static StreamBusyException streamBusy(long streamId) {
    return new StreamBusyException(streamId);
  }

  /** A payload exceeds the named limit; nothing was stored. */
  public static StorageLimitExceededException limitExceeded(String limitName, long limit, long actual) {
    return new StorageLimitExceededException(limitName, limit, actual);
  }
}
