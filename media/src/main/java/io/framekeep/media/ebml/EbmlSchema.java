package io.framekeep.media.ebml;

/**
 * The document-type knowledge the generic {@link EbmlReader} needs: the payload type of each
 * element ID, and which IDs end an element of unknown size.
 *
 * <p>Implementations must be stateless and thread-safe; they are consulted once per element.
 */
public interface EbmlSchema {
  /** The payload type of elements with this ID; {@link EbmlType#OPAQUE} for IDs it does not know. */
  EbmlType type(int id);

  /**
   * Whether an element with {@code childId} appearing inside the open unknown-size element
   * {@code parentId} ends that element (it belongs to the same or an upper level) rather than
   * being its child.
   */
  boolean endsUnknownSize(int parentId, int childId);
}
