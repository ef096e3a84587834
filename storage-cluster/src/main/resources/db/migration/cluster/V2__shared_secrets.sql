-- Secrets every node of the cluster shares (the key signing HLS/DASH session URLs), created by the first node
-- that asks (INSERT ... ON CONFLICT DO NOTHING, then read: ClusterSecrets), so that a URL issued by one node
-- plays on all of them.
CREATE TABLE shared_secrets (
  name       text PRIMARY KEY,
  secret     bytea NOT NULL,
  created_ms bigint NOT NULL
);
