package io.framekeep.storage.cluster;

import io.framekeep.storage.FragmentCoverage;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.Storage;
import io.framekeep.storage.StorageHealth;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * The cluster storage backend of one node, opened from a {@link ClusterConfig}: PostgreSQL (migrated on open)
 * for the catalogue, the fragment index and the leases; the bucket for media objects.
 *
 * <pre>
 * catalog()  streams and tags                    (PgStreamCatalog, the StreamCatalog contract)
 * index()    headers, fragment rows, object keys (PgFragmentIndex)
 * ingest()   appenders under fenced leases, batched into shared objects (ClusterIngest, BatchWriter)
 * reader()   fragment bytes by ranged GETs       (RangedReader, through CachingObjectStore when enabled)
 * fragments() all of the above as the server's FragmentLog (ClusterFragmentLog)
 * startMaintenance() compaction and collection of objects in the background (ObjectMaintenance)
 * </pre>
 *
 * Objects in the bucket: {@code shared/yyyy/MM/dd/HH/<nodeId>-<createdMs>-<n>}, each the concatenated payloads
 * of one flush, and {@code stream/...} objects of one stream each written by the {@link Compactor}, located by
 * the {@code fragments} rows ({@code V1__cluster_schema.sql}) and kept in the {@code objects} ledger
 * ({@code V3__object_lifecycle.sql}).
 *
 * <p>Thread safety: every part may be used from any thread. {@link #close()} after the appenders are closed.
 */
public final class ClusterStorage implements Storage {

  private final ClusterDatabase database;
  private final S3ObjectStore s3;
  private final ObjectStore store;
  private final PgStreamCatalog catalog;
  private final PgFragmentIndex index;
  private final StreamLeases leases;
  private final BatchWriter writer;
  private final ClusterIngest ingest;
  private final ExecutorService rangeOpeners;
  private final RangedReader reader;
  private final ClusterFragmentLog fragments;
  private final ClusterSecrets secrets;
  private final String nodeId;
  private final ClusterHealth health;
  private final ClusterConfig config;
  private final Clock clock;
  private volatile ObjectMaintenance maintenance;
  private final java.util.List<CommitNotifications> listening = new java.util.concurrent.CopyOnWriteArrayList<>();

  private ClusterStorage(ClusterConfig config, Clock clock, ClusterDatabase database, S3ObjectStore s3,
      ObjectStore store, long renewPeriodMs) {
    this.database = database;
    this.s3 = s3;
    this.store = store;
    this.catalog = new PgStreamCatalog(database);
    this.index = new PgFragmentIndex(database, clock);
    this.leases = new StreamLeases(database, config.nodeId(), clock, config.leaseTtlMs());
    this.writer = BatchWriter.create(store, database, clock, config);
    this.ingest = new ClusterIngest(leases, writer, renewPeriodMs);
    this.rangeOpeners = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "framekeep-range-get");
      thread.setDaemon(true);
      return thread;
    });
    this.reader = new RangedReader(store, rangeOpeners, RangedReader.DEFAULT_MAX_IN_FLIGHT,
        RangedReader.DEFAULT_MAX_COALESCED_BYTES);
    this.fragments = new ClusterFragmentLog(database, index, ingest, reader, store, rangeOpeners);
    this.secrets = new ClusterSecrets(database, clock);
    this.nodeId = config.nodeId();
    this.config = config;
    this.clock = clock;
    this.health = new ClusterHealth(config.databaseUrl(), config.databaseUser(), config.databasePassword(), store);
  }

  /** Opens the backend with the S3 client of the configuration and lease renewal at a third of the TTL. */
  public static ClusterStorage open(ClusterConfig config, Clock clock) throws IOException {
    return open(config, clock, UnaryOperator.identity(), ClusterIngest.defaultRenewPeriodMs(config.leaseTtlMs()));
  }

  /**
   * {@link #open(ClusterConfig, Clock)} with the object store wrapped by {@code decorate} (metrics, fault
   * injection; under the local cache, when the configuration enables one) and an explicit renewal period (0: never renew, to simulate a paused node in tests).
   */
  public static ClusterStorage open(ClusterConfig config, Clock clock, UnaryOperator<ObjectStore> decorate,
      long renewPeriodMs) throws IOException {
    ClusterDatabase database = ClusterDatabase.open(config.databaseUrl(), config.databaseUser(),
        config.databasePassword());
    try {
      S3ObjectStore s3 = new S3ObjectStore(S3Clients.create(config), config.s3Bucket());
      ObjectStore store = decorate.apply(s3);
      if (config.cacheEnabled()) {
        try {
          store = CachingObjectStore.open(store, config.cacheDir(), config.cacheSizeBytes());
        } catch (IOException | RuntimeException e) {
          store.close();
          throw e;
        }
      }
      return new ClusterStorage(config, clock, database, s3, store, renewPeriodMs);
    } catch (IOException | RuntimeException e) {
      database.close();
      throw e;
    }
  }

  @Override
  public PgStreamCatalog catalog() {
    return catalog;
  }

  @Override
  public FragmentLog fragments() {
    return fragments;
  }

  @Override
  public FragmentCoverage coverage() {
    return new PgFragmentCoverage(database);
  }

  /** Stored in PostgreSQL ({@link ClusterSecrets}): the same on every node. */
  @Override
  public byte[] sharedSecret(String name, int lengthBytes) throws IOException {
    return secrets.get(name, lengthBytes);
  }

  /**
   * Through PostgreSQL LISTEN/NOTIFY ({@link CommitNotifications}): other nodes' commits are reported a
   * database round trip after they commit.
   */
  @Override
  public AutoCloseable onRemoteCommits(RemoteCommitListener listener) {
    CommitNotifications notifications = CommitNotifications.start(database.dataSource(), nodeId, listener);
    listening.add(notifications);
    return () -> {
      listening.remove(notifications);
      notifications.close();
    };
  }

  /**
   * PostgreSQL and the object store both answer ({@link ClusterHealth}): checked at most once a second, each
   * engine within 2 s.
   */
  @Override
  public StorageHealth health() {
    return health.check();
  }

  /**
   * Starts this node's background compaction and collection ({@link ObjectMaintenance}) with the configured
   * settings; does nothing when they switch it off or it runs already. Servers call it; one-off tools such as
   * the migration do not.
   */
  public synchronized void startMaintenance() {
    MaintenanceConfig settings = config.maintenance();
    if (maintenance == null && settings.enabled()) {
      maintenance = new ObjectMaintenance(newCompactor(settings), newCollector(settings), settings.intervalMs());
    }
  }

  /** The running maintenance, if {@link #startMaintenance} started it. */
  public java.util.Optional<ObjectMaintenance> maintenance() {
    return java.util.Optional.ofNullable(maintenance);
  }

  Compactor newCompactor(MaintenanceConfig settings) {
    return new Compactor(database, store, reader, clock, nodeId, settings.minAgeMs(), settings.targetBytes());
  }

  ObjectCollector newCollector(MaintenanceConfig settings) {
    return new ObjectCollector(database, store, clock, settings.graceMs(), settings.orphanSettleMs());
  }

  /** Ranged GETs sent to the object store, and with the local cache its hits, misses and evictions. */
  @Override
  public List<Counter> counters() {
    List<Counter> counters = new ArrayList<>();
    counters.add(new Counter("framekeep.cluster.object.gets", "Ranged GETs sent to the object store",
        s3::getCount));
    if (store instanceof CachingObjectStore cache) {
      counters.add(new Counter("framekeep.cluster.cache.hits", "Object blocks read from the local cache",
          cache::hitCount));
      counters.add(new Counter("framekeep.cluster.cache.misses", "Object blocks fetched into the local cache",
          cache::missCount));
      counters.add(new Counter("framekeep.cluster.cache.corrupt",
          "Cached blocks that failed their checksum and were fetched again", cache::corruptCount));
      counters.add(new Counter("framekeep.cluster.cache.evictions",
          "Cached blocks evicted to stay within --cache-size", cache::evictionCount));
    }
    ObjectMaintenance running = maintenance;
    if (running != null) {
      counters.add(new Counter("framekeep.objects.compacted", "Per-stream objects this node wrote by compaction",
          running::objectsCompacted));
      counters.add(new Counter("framekeep.objects.rewritten.bytes",
          "Payload bytes this node copied into per-stream objects", running::bytesRewritten));
      counters.add(new Counter("framekeep.objects.deleted", "Objects this node deleted from the bucket",
          running::objectsDeleted));
    }
    return counters;
  }

  public PgFragmentIndex index() {
    return index;
  }

  public ClusterIngest ingest() {
    return ingest;
  }

  public RangedReader reader() {
    return reader;
  }

  public StreamLeases leases() {
    return leases;
  }

  /** Objects written by this node since it opened. */
  public long putCount() {
    return writer.putCount();
  }

  ClusterDatabase database() {
    return database;
  }

  ObjectStore objectStore() {
    return store;
  }

  /** Flushes what is batched, then closes the writer, the object store client and the pool. */
  @Override
  public void close() {
    try {
      ObjectMaintenance running = maintenance;
      if (running != null) {
        running.close();
      }
      listening.forEach(CommitNotifications::close);
      ingest.close();
    } finally {
      rangeOpeners.shutdownNow();
      health.close();
      store.close();
      database.close();
    }
  }
}
