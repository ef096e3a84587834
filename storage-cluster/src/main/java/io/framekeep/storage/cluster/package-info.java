/**
 * The cluster storage backend: media in S3-compatible object storage, catalogue, fragment index and stream
 * leases in PostgreSQL, so that any number of stateless nodes share one archive. Entry point:
 * {@link io.framekeep.storage.cluster.ClusterStorage}.
 *
 * <h2>Write path (PERSISTED means it survives the loss of the node)</h2>
 *
 * A PutMedia session opens a {@link io.framekeep.storage.cluster.ClusterFragmentAppender} under a fenced
 * {@link io.framekeep.storage.cluster.Lease}; each sealed fragment joins the node's open batch
 * ({@link io.framekeep.storage.cluster.BatchWriter}); a flush PUTs the batch as one object, then commits all
 * its index rows in one transaction that checks every stream's lease epoch
 * ({@link io.framekeep.storage.cluster.BatchCommit}); only then do the fragments' futures complete.
 *
 * <h2>Read path</h2>
 *
 * Index rows come from {@link io.framekeep.storage.cluster.PgFragmentIndex}; payload bytes from
 * {@link io.framekeep.storage.cluster.RangedReader} (coalesced ranged GETs, several opened ahead).
 *
 * <h2>Not here yet</h2>
 *
 * The storage module's read seam (a byte source per fragment instead of a file path) that will let the server
 * run on this backend; the local range cache ({@code --cache-dir}); the compactor that rewrites shared objects
 * into per-stream ones; retention and the object collector that deletes objects no row points into (including
 * objects left behind by a failed commit).
 */
package io.framekeep.storage.cluster;
