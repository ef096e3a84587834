package io.framekeep.storage.cluster;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * Secrets shared by every node (table {@code shared_secrets}, {@code V2__shared_secrets.sql}): the first node
 * to ask for a name stores random bytes, every node then reads the same. Concurrent first requests are safe: the
 * insert does nothing when the name exists, and all read the one row that won.
 *
 * <p>Thread safety: any thread; each call is one transaction.
 */
final class ClusterSecrets {

  /** 1 KiB: secrets are keys (32 bytes for HMAC-SHA256); anything larger is a programmer error. */
  static final int MAX_SECRET_BYTES = 1024;

  private final ClusterDatabase database;
  private final Clock clock;

  ClusterSecrets(ClusterDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * The secret named {@code name}; {@code lengthBytes} random bytes if this call creates it.
   *
   * @throws IOException if the database fails, or the stored secret has another length (a name reused for a
   *     different purpose)
   */
  byte[] get(String name, int lengthBytes) throws IOException {
    if (lengthBytes <= 0 || lengthBytes > MAX_SECRET_BYTES) {
      throw new IllegalArgumentException("secret length must be 1.." + MAX_SECRET_BYTES + ": " + lengthBytes);
    }
    byte[] candidate = new byte[lengthBytes];
    new SecureRandom().nextBytes(candidate);
    byte[] stored = database.io("shared secret", c -> {
      Sql.update(c, "INSERT INTO shared_secrets (name, secret, created_ms) VALUES (?, ?, ?)"
          + " ON CONFLICT (name) DO NOTHING",
          s -> {
            s.setString(1, name);
            s.setBytes(2, candidate);
            s.setLong(3, clock.millis());
          });
      List<byte[]> rows = Sql.query(c, "SELECT secret FROM shared_secrets WHERE name = ?",
          s -> s.setString(1, name), row -> row.getBytes(1));
      return rows.get(0);
    });
    if (stored.length != lengthBytes) {
      throw new IOException("shared secret " + name + " has " + stored.length + " bytes, not " + lengthBytes);
    }
    return stored;
  }
}
