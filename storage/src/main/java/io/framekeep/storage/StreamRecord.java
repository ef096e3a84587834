package io.framekeep.storage;

/**
 * One stream of the catalogue, as stored. Field meanings follow the KVS {@code StreamInfo} shape; the storage
 * layer validates none of them (the API layer does) and treats {@code version} as an opaque token for
 * compare-and-set updates.
 *
 * @param streamId storage-assigned id, never reused (also names the stream's segment directory)
 * @param status KVS status; {@link StreamCatalog#delete} sets it to {@code DELETING}
 * @param creationTimeMs creation time, epoch milliseconds
 */
public record StreamRecord(
    long streamId,
    String name,
    String arn,
    String deviceName,
    String mediaType,
    String kmsKeyId,
    String version,
    String status,
    long creationTimeMs,
    int dataRetentionHours,
    String storageTier) {

  /** A copy of this record carrying {@code newStreamId}. */
  public StreamRecord withStreamId(long newStreamId) {
    return new StreamRecord(newStreamId, name, arn, deviceName, mediaType, kmsKeyId, version, status,
        creationTimeMs, dataRetentionHours, storageTier);
  }
}
