-- Framekeep cluster schema, version 1. Applied by Flyway (ClusterDatabase.migrate) under its PostgreSQL
-- advisory lock, so nodes starting at once apply it exactly once. Never edit an applied migration: add V2...
--
-- Columns mirror the embedded SQLite schema (storage module, Database) so that an embedded archive copies
-- over row for row; payload locations name an object instead of a segment file.

-- The catalogue. Deleted streams keep their row (deleted = true) so stream ids are never reused.
-- last_sequence is the last fragment number handed out for the stream; only the lease holder moves it, in
-- the same transaction that commits the fragments (BatchCommit).
CREATE TABLE streams (
  stream_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                 text COLLATE "C" NOT NULL,  -- "C": binary order, as ListStreams and SQLite use
  arn                  text NOT NULL,
  device_name          text,
  media_type           text,
  kms_key_id           text,
  version              text,
  status               text,
  creation_time_ms     bigint NOT NULL,
  data_retention_hours integer NOT NULL,
  storage_tier         text,
  deleted              boolean NOT NULL DEFAULT false,
  last_sequence        bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX streams_live_name ON streams (name) WHERE NOT deleted;
CREATE INDEX streams_arn ON streams (arn);

CREATE TABLE stream_tags (
  stream_id bigint NOT NULL REFERENCES streams (stream_id),
  tag_key   text NOT NULL,
  tag_value text NOT NULL,
  PRIMARY KEY (stream_id, tag_key)
);

-- Session headers (codec private data etc.), deduplicated per stream by content hash.
CREATE TABLE headers (
  header_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id  bigint NOT NULL REFERENCES streams (stream_id),
  sha256     text NOT NULL,  -- lower-case hex of bytes
  bytes      bytea NOT NULL,
  created_ms bigint NOT NULL,
  UNIQUE (stream_id, sha256)
);

-- Objects in the bucket that fragments point into. SHARED objects hold fragments of many streams (one per
-- node flush); STREAM objects (written by compaction) hold one stream's. An object is deleted from the bucket
-- only after deletable_after_ms, once no fragment row points into it and no reader can still hold it.
CREATE TABLE objects (
  object_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  object_key         text NOT NULL UNIQUE,
  size_bytes         bigint NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('SHARED', 'STREAM')),
  stream_id          bigint REFERENCES streams (stream_id),  -- STREAM objects only
  created_ms         bigint NOT NULL,
  deletable_after_ms bigint
);
CREATE INDEX objects_deletable ON objects (deletable_after_ms) WHERE deletable_after_ms IS NOT NULL;

-- The fragment index: one row per fragment, payload = bytes [object_offset, object_offset + length_bytes)
-- of the object. The frame table is the media layer's opaque blob.
CREATE TABLE fragments (
  stream_id     bigint NOT NULL REFERENCES streams (stream_id),
  sequence      bigint NOT NULL,
  producer_ms   bigint NOT NULL,
  server_ms     bigint NOT NULL,
  duration_ms   bigint NOT NULL,
  object_id     bigint NOT NULL REFERENCES objects (object_id),
  object_offset bigint NOT NULL,
  length_bytes  bigint NOT NULL,
  header_id     bigint NOT NULL REFERENCES headers (header_id),
  frame_table   bytea NOT NULL,
  PRIMARY KEY (stream_id, sequence)
);
CREATE INDEX fragments_by_producer ON fragments (stream_id, producer_ms, sequence);
CREATE INDEX fragments_by_server ON fragments (stream_id, server_ms, sequence);
CREATE INDEX fragments_by_object ON fragments (object_id);

-- Stream ownership for PutMedia: one row per stream that has or had an owner. epoch grows by one at every
-- change of owner and fences the previous owner's commits (BatchCommit refuses rows of an older epoch).
-- An owner renews before expires_at_ms; another node may take over only after it.
CREATE TABLE stream_leases (
  stream_id     bigint PRIMARY KEY REFERENCES streams (stream_id),
  owner_node    text NOT NULL,
  epoch         bigint NOT NULL,
  expires_at_ms bigint NOT NULL
);
