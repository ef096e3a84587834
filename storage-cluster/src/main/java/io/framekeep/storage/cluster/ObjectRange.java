package io.framekeep.storage.cluster;

/**
 * Bytes {@code [offset, offset + lengthBytes)} of one object: where a fragment payload (or several adjacent
 * ones) lives.
 */
public record ObjectRange(String key, long offset, long lengthBytes) {

  public ObjectRange {
    if (offset < 0 || lengthBytes <= 0) {
      throw new IllegalArgumentException("bad range of " + key + ": offset " + offset + ", length " + lengthBytes);
    }
  }

  long end() {
    return offset + lengthBytes;
  }
}
