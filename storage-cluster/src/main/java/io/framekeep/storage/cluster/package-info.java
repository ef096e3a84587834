/**
 * The cluster storage backend: media in S3-compatible object storage, catalogue, fragment index and stream
 * leases in PostgreSQL, so that any number of stateless nodes share one archive. Entry point:
 * {@link io.framekeep.storage.cluster.ClusterStorage}.
 *
 * <h2>Write path (PERSISTED means it survives the loss of the node)</h2>
 *
 * A PutMedia session opens a {@link io.framekeep.storage.cluster.ClusterFragmentAppender} under a fenced
 * {@link io.framekeep.storage.cluster.Lease}; each sealed fragment joins the node's open batch
 * ({@link io.framekeep.storage.cluster.BatchWriter}); a flush records the object in the ledger
 * ({@link io.framekeep.storage.cluster.ObjectLedger}), PUTs the batch as one object, then commits all
 * its index rows in one transaction that checks every stream's lease epoch
 * ({@link io.framekeep.storage.cluster.BatchCommit}); only then do the fragments' futures complete.
 *
 * <h2>Read path</h2>
 *
 * Index rows come from {@link io.framekeep.storage.cluster.PgFragmentIndex}; payload bytes from
 * {@link io.framekeep.storage.cluster.RangedReader} (coalesced ranged GETs, several opened ahead) through the
 * node's local block cache ({@link io.framekeep.storage.cluster.CachingObjectStore}), handed to the server as
 * the storage module's byte sources by {@link io.framekeep.storage.cluster.ClusterFragmentLog}. An engine that
 * cannot be reached surfaces as {@link io.framekeep.storage.StorageUnavailableException}.
 *
 * <h2>Between nodes</h2>
 *
 * Each batch commit NOTIFYs the streams it committed to; other nodes LISTEN
 * ({@link io.framekeep.storage.cluster.CommitNotifications}) and wake their live readers. Secrets all nodes
 * share (the session URL signing key) are rows of {@code shared_secrets}
 * ({@link io.framekeep.storage.cluster.ClusterSecrets}).
 *
 * <h2>Object lifecycle</h2>
 *
 * Every object has a row in {@code objects} from before its PUT to after its DELETE
 * ({@link io.framekeep.storage.cluster.ObjectLedger}). In the background of every node
 * ({@link io.framekeep.storage.cluster.ObjectMaintenance}) the {@link io.framekeep.storage.cluster.Compactor}
 * moves fragments out of shared (and mostly dead per-stream) objects into per-stream ones, and the
 * {@link io.framekeep.storage.cluster.ObjectCollector} deletes objects nothing points into after a grace period
 * and objects whose commit never happened after a settle period.
 */
package io.framekeep.storage.cluster;
