package io.framekeep.server.media;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.kvs.KvsChunkWriter;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;

/**
 * What preparing one fragment's chunk on a worker thread came to, handed back to the response's
 * event loop: a chunk, nothing (no such fragment yet), the fragment vanished (reclaimed by
 * retention between lookup and read), or a failure to report in-stream.
 */
sealed interface ChunkFetch {
  /** In-stream error id for "requested fragment not found" (spec §3.8). */
  int ERROR_FRAGMENT_NOT_FOUND = 4000;
  /** In-stream error id for an internal error (spec §3.8). */
  int ERROR_INTERNAL = 5000;

  record Ready(Chunk chunk) implements ChunkFetch {}

  record Nothing() implements ChunkFetch {}

  record Vanished(FragmentRecord fragment) implements ChunkFetch {}

  /** @param fragmentNumber the fragment being read when it failed */
  record Failed(String fragmentNumber, Exception cause) implements ChunkFetch {}

  /** Reads the chunk of {@code fragment}, classifying the outcome. Blocking. */
  static ChunkFetch read(ChunkReader reader, FragmentRecord fragment, long newestServerMs) {
    try {
      long behindMs = Math.max(newestServerMs, fragment.serverTimestampMs())
          - fragment.serverTimestampMs();
      return new Ready(reader.read(fragment, behindMs));
    } catch (NoSuchFileException e) {
      return new Vanished(fragment);
    } catch (IOException | MediaFormatException | RuntimeException e) {
      return new Failed(FragmentNumbers.format(fragment.sequence()), e);
    }
  }

  /** Releases what a result holds when it will not be used. */
  default void discard() {
    if (this instanceof Ready ready) {
      ready.chunk().discard();
    }
  }

  /** The error chunk telling the reader that {@code fragment} is no longer stored. */
  static ByteBuffer notFoundChunk(FragmentRecord fragment) {
    return KvsChunkWriter.errorChunk(FragmentNumbers.format(fragment.sequence()),
        ERROR_FRAGMENT_NOT_FOUND, "FRAGMENT_NOT_FOUND",
        "The requested fragment is no longer stored.");
  }

  /** The error chunk telling the reader that the server failed while reading a fragment. */
  static ByteBuffer internalErrorChunk(String fragmentNumber) {
    return KvsChunkWriter.errorChunk(fragmentNumber, ERROR_INTERNAL,
        "INTERNAL_ERROR", "The server failed to read the fragment.");
  }
}
