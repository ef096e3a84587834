-- Object lifecycle: every object the cluster writes has a row from BEFORE its PUT to after its DELETE, so that
-- an object whose commit never happened is found without listing the bucket, and so that compaction and the
-- collector can be coordinated between nodes through this table alone (ObjectLedger, Compactor,
-- ObjectCollector).
--
-- state:
--   PENDING       intent recorded, PUT maybe in progress; the commit that indexes fragments in it moves it to
--                 LIVE in the same transaction (only from PENDING: a collector that claimed it first wins and
--                 the commit fails). A PENDING row older than the settle period is an orphan.
--   LIVE          fragment rows may point into it. A LIVE object with no fragment row pointing into it can never
--                 gain one (rows are only ever pointed at PENDING objects, in the transaction that makes them
--                 LIVE), so it is garbage from then on.
--   UNREFERENCED  garbage since unreferenced_ms; kept for the grace period in which a reader that looked up its
--                 old location may still read it.
--   DELETING      claimed for deletion from the bucket; the row goes once the DELETE was acknowledged.
-- An object's live bytes are not stored: they are SUM(length_bytes) of the fragment rows pointing into it
-- (index fragments_by_object), always exact, where a counter would need every retention delete to update it.
-- The default LIVE keeps inserts of nodes still running the previous version correct: they insert the object
-- row and its fragment rows in one transaction.
ALTER TABLE objects ADD COLUMN state text NOT NULL DEFAULT 'LIVE'
  CHECK (state IN ('PENDING', 'LIVE', 'UNREFERENCED', 'DELETING'));
ALTER TABLE objects ADD COLUMN unreferenced_ms bigint;

-- deletable_after_ms (V1) was written only for objects none of whose rows committed: carry them over, then
-- stop using the column (it stays for nodes of the previous version during a rolling upgrade).
UPDATE objects SET state = 'UNREFERENCED', unreferenced_ms = deletable_after_ms
  WHERE deletable_after_ms IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM fragments f WHERE f.object_id = objects.object_id);

CREATE INDEX objects_by_state ON objects (state, created_ms);

-- Which node is compacting which stream (Compactor): taken with INSERT ... ON CONFLICT only when absent or
-- lapsed, so two nodes never compact one stream at once; a dead node's claims lapse at expires_ms. Correctness
-- does not rest on it (the re-pointing transaction moves only rows still where the copy was read from); it
-- keeps nodes from copying the same bytes twice.
CREATE TABLE compaction_claims (
  stream_id  bigint PRIMARY KEY REFERENCES streams (stream_id),
  claimed_by text NOT NULL,
  expires_ms bigint NOT NULL
);
