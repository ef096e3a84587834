package io.framekeep.storage;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of streams and their tags.
 *
 * <p>Thread safety: every method may be called from any thread; each call is one atomic database transaction.
 * Failures of the database surface as the unchecked {@link StorageException}. The storage layer enforces no
 * KVS validation rules (name patterns, tag counts); the API layer does.
 */
public interface StreamCatalog {

  /**
   * Inserts a new stream (streamId in the argument is ignored); returns it with its id.
   *
   * @throws StreamExistsException if an undeleted stream has that name
   */
  StreamRecord create(StreamRecord stream, Map<String, String> tags) throws StreamExistsException;

  /** The undeleted stream with this name. */
  Optional<StreamRecord> byName(String name);

  /** The undeleted stream with this ARN. */
  Optional<StreamRecord> byArn(String arn);

  /** The stream with this id, deleted ones included (their status is {@code DELETING}). */
  Optional<StreamRecord> byId(long streamId);

  /**
   * Undeleted streams with names starting with namePrefix ("" or null = all), name strictly greater than
   * afterName (null = from the start), ordered by name (binary code-point order), at most limit.
   */
  List<StreamRecord> list(String namePrefix, String afterName, int limit);

  /**
   * Replaces the stored record if its current version equals expectedVersion; returns false otherwise
   * (compare-and-set). Identity fields (streamId, name, arn, creationTimeMs) are never changed; every other
   * field is taken from {@code updated}, whose streamId selects the stream. Deleted streams never match.
   */
  boolean replace(String expectedVersion, StreamRecord updated);

  /**
   * Marks deleted: invisible to byName/byArn/list at once; its fragments, headers and tags are dropped and its
   * segment files removed. Unknown or already deleted ids are ignored. An appender still open on the stream
   * fails on its next commit.
   */
  void delete(long streamId) throws IOException;

  /** The stream's tags, sorted by key. */
  Map<String, String> tags(long streamId);

  /** Adds or overwrites the given tags. */
  void putTags(long streamId, Map<String, String> tags);

  /** Removes the given tag keys; unknown keys are ignored. */
  void removeTags(long streamId, Collection<String> keys);

  /** Number of undeleted streams. */
  int count();
}
