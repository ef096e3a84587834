package io.framekeep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link StreamCatalog}, run against every implementation: a subclass opens a fresh, empty
 * catalogue per test ({@link #openCatalog}) and releases it ({@link #closeCatalog}). Published in this module's
 * test-jar so that other backends run the same tests.
 */
public abstract class StreamCatalogContract {

  private StreamCatalog catalog;

  /** A new catalogue with no streams. */
  protected abstract StreamCatalog openCatalog() throws Exception;

  /** Releases what {@link #openCatalog} opened. */
  protected abstract void closeCatalog() throws Exception;

  @BeforeEach
  protected void openEach() throws Exception {
    catalog = openCatalog();
  }

  @AfterEach
  protected void closeEach() throws Exception {
    closeCatalog();
  }

  /** A complete stream record named {@code name}, version "v1", status ACTIVE. */
  protected static StreamRecord stream(String name) {
    return new StreamRecord(0, name, "arn:aws:kinesisvideo:us-east-1:123456789012:stream/" + name + "/1700000000000",
        "camera-1", "video/h264", "arn:aws:kms:us-east-1:123456789012:alias/aws/kinesisvideo", "v1", "ACTIVE",
        1_700_000_000_000L, 24, "HOT");
  }

  @Test
  public void create_newName_returnsRecordWithIdFindableByNameArnAndId() throws Exception {
    StreamRecord created = catalog.create(stream("cam"), Map.of("k", "v"));

    assertThat(created.streamId()).isPositive();
    assertThat(created).isEqualTo(stream("cam").withStreamId(created.streamId()));
    assertThat(catalog.byName("cam")).contains(created);
    assertThat(catalog.byArn(created.arn())).contains(created);
    assertThat(catalog.byId(created.streamId())).contains(created);
    assertThat(catalog.tags(created.streamId())).containsExactly(Map.entry("k", "v"));
  }

  @Test
  public void create_nullableFieldsNull_roundTripsNulls() throws Exception {
    StreamRecord bare = new StreamRecord(0, "bare", "arn:x", null, null, null, "v", "ACTIVE", 5, 0, null);

    StreamRecord created = catalog.create(bare, Map.of());

    assertThat(catalog.byId(created.streamId())).contains(bare.withStreamId(created.streamId()));
  }

  @Test
  public void create_existingName_throwsStreamExists() throws Exception {
    catalog.create(stream("cam"), Map.of());

    assertThatThrownBy(() -> catalog.create(stream("cam"), Map.of()))
        .isInstanceOf(StreamExistsException.class)
        .extracting(e -> ((StreamExistsException) e).streamName()).isEqualTo("cam");
    assertThat(catalog.count()).isEqualTo(1);
  }

  @Test
  public void create_nameOfDeletedStream_succeedsWithNewId() throws Exception {
    long first = catalog.create(stream("cam"), Map.of()).streamId();
    catalog.delete(first);

    long second = catalog.create(stream("cam"), Map.of()).streamId();

    assertThat(second).isGreaterThan(first);
    assertThat(catalog.byName("cam")).map(StreamRecord::streamId).contains(second);
  }

  @Test
  public void delete_stream_invisibleByNameArnListAndCountButByIdShowsDeleting() throws Exception {
    StreamRecord created = catalog.create(stream("cam"), Map.of("k", "v"));

    catalog.delete(created.streamId());

    assertThat(catalog.byName("cam")).isEmpty();
    assertThat(catalog.byArn(created.arn())).isEmpty();
    assertThat(catalog.list("", null, 10)).isEmpty();
    assertThat(catalog.count()).isZero();
    assertThat(catalog.byId(created.streamId())).map(StreamRecord::status).contains("DELETING");
    assertThat(catalog.tags(created.streamId())).isEmpty();
  }

  @Test
  public void delete_unknownId_isIgnored() throws Exception {
    catalog.delete(12345);

    assertThat(catalog.count()).isZero();
  }

  @Test
  public void list_prefixAndPages_returnsMatchingNamesInOrder() throws Exception {
    for (String name : List.of("cam-b", "door", "cam-a", "cam-c", "cam", "camera", "ca", "cam-d")) {
      catalog.create(stream(name), Map.of());
    }

    List<String> paged = new ArrayList<>();
    String after = null;
    while (true) {
      List<StreamRecord> page = catalog.list("cam-", after, 2);
      if (page.isEmpty()) {
        break;
      }
      assertThat(page.size()).isLessThanOrEqualTo(2);
      page.forEach(s -> paged.add(s.name()));
      after = page.get(page.size() - 1).name();
    }

    assertThat(paged).containsExactly("cam-a", "cam-b", "cam-c", "cam-d");
    assertThat(catalog.list("", null, 100)).extracting(StreamRecord::name)
        .containsExactly("ca", "cam", "cam-a", "cam-b", "cam-c", "cam-d", "camera", "door");
    assertThat(catalog.list(null, "cam-d", 100)).extracting(StreamRecord::name).containsExactly("camera", "door");
    assertThat(catalog.list("cam", "cam-b", 100)).extracting(StreamRecord::name)
        .containsExactly("cam-c", "cam-d", "camera");
    assertThat(catalog.list("x", null, 100)).isEmpty();
    assertThat(catalog.list("", null, 0)).isEmpty();
    assertThat(catalog.count()).isEqualTo(8);
  }

  @Test
  public void list_prefixIsCaseSensitive_excludesOtherCase() throws Exception {
    catalog.create(stream("Cam"), Map.of());
    catalog.create(stream("cam"), Map.of());

    assertThat(catalog.list("c", null, 10)).extracting(StreamRecord::name).containsExactly("cam");
  }

  @Test
  public void replace_currentVersion_updatesMutableFields() throws Exception {
    StreamRecord created = catalog.create(stream("cam"), Map.of());
    StreamRecord updated = new StreamRecord(created.streamId(), "cam", created.arn(), "camera-2", "video/h265",
        created.kmsKeyId(), "v2", "ACTIVE", created.creationTimeMs(), 48, "WARM");

    boolean replaced = catalog.replace("v1", updated);

    assertThat(replaced).isTrue();
    assertThat(catalog.byId(created.streamId())).contains(updated);
  }

  @Test
  public void replace_staleVersion_returnsFalseAndKeepsRecord() throws Exception {
    StreamRecord created = catalog.create(stream("cam"), Map.of());
    StreamRecord v2 = new StreamRecord(created.streamId(), "cam", created.arn(), "d", "video/h264",
        created.kmsKeyId(), "v2", "ACTIVE", created.creationTimeMs(), 1, "HOT");
    assertThat(catalog.replace("v1", v2)).isTrue();

    boolean replacedAgain = catalog.replace("v1", created);

    assertThat(replacedAgain).isFalse();
    assertThat(catalog.byId(created.streamId())).contains(v2);
  }

  @Test
  public void replace_identityFieldsChanged_keepsNameArnAndCreationTime() throws Exception {
    StreamRecord created = catalog.create(stream("cam"), Map.of());
    StreamRecord renamed = new StreamRecord(created.streamId(), "other", "arn:other", "d", "m", "k", "v2",
        "ACTIVE", 1, 2, "HOT");

    assertThat(catalog.replace("v1", renamed)).isTrue();

    assertThat(catalog.byId(created.streamId())).get()
        .satisfies(s -> {
          assertThat(s.name()).isEqualTo("cam");
          assertThat(s.arn()).isEqualTo(created.arn());
          assertThat(s.creationTimeMs()).isEqualTo(created.creationTimeMs());
          assertThat(s.version()).isEqualTo("v2");
        });
  }

  @Test
  public void replace_deletedStream_returnsFalse() throws Exception {
    StreamRecord created = catalog.create(stream("cam"), Map.of());
    catalog.delete(created.streamId());

    assertThat(catalog.replace("v1", created)).isFalse();
  }

  @Test
  public void tags_putAndRemove_upsertsAndReturnsSortedByKey() throws Exception {
    long id = catalog.create(stream("cam"), Map.of("b", "1", "a", "2")).streamId();

    catalog.putTags(id, Map.of("c", "3", "a", "20"));
    catalog.removeTags(id, List.of("b", "unknown"));

    assertThat(catalog.tags(id)).containsExactly(Map.entry("a", "20"), Map.entry("c", "3"));
  }

  @Test
  public void create_sameNameFromManyThreads_exactlyOneSucceeds() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          try {
            catalog.create(stream("race"), Map.of());
            return true;
          } catch (StreamExistsException e) {
            return false;
          }
        }));
      }
      int created = 0;
      for (Future<Boolean> result : results) {
        created += result.get() ? 1 : 0;
      }

      assertThat(created).isEqualTo(1);
      assertThat(catalog.count()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void tags_otherStream_areIndependent() throws Exception {
    long one = catalog.create(stream("one"), Map.of("k", "1")).streamId();
    long two = catalog.create(stream("two"), Map.of("k", "2")).streamId();

    catalog.removeTags(one, List.of("k"));

    assertThat(catalog.tags(one)).isEmpty();
    assertThat(catalog.tags(two)).containsExactly(Map.entry("k", "2"));
  }
}
