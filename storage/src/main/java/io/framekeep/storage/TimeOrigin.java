package io.framekeep.storage;

/** Which of a fragment's two start timestamps a range query compares against (KVS spec section 1.4). */
public enum TimeOrigin {
  /** The producer timestamp derived from the cluster timecode. */
  PRODUCER,
  /** The time the server began receiving the fragment. */
  SERVER
}
