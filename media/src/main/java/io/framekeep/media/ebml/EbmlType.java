package io.framekeep.media.ebml;

/**
 * How {@link EbmlReader} treats an element's payload, as decided by an {@link EbmlSchema}.
 *
 * <p>Only {@link #MASTER} elements are descended into; the value types are read whole (within the
 * reader's bounds) and reported once; {@link #OPAQUE} payloads are streamed through in pieces and
 * never buffered, which is how media blocks and uninteresting elements are handled.
 */
public enum EbmlType {
  /** Contains child elements; may have the unknown (all-ones) size. */
  MASTER,
  /** Big-endian unsigned integer of 0 to 8 bytes. */
  UNSIGNED,
  /** Big-endian two's complement integer of 0 to 8 bytes. */
  SIGNED,
  /** IEEE 754 float of 0, 4 or 8 bytes. */
  FLOAT,
  /** ASCII or UTF-8 text, trailing zero bytes removed. */
  STRING,
  /** Bytes kept as an array (bounded by {@link EbmlReader#MAX_BINARY_BYTES}). */
  BINARY,
  /** Bytes streamed to the caller as they arrive (unknown IDs, blocks, skipped elements). */
  OPAQUE
}
