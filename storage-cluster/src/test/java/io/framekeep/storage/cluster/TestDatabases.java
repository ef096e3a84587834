package io.framekeep.storage.cluster;

import io.framekeep.testing.cluster.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh, empty databases on a test PostgreSQL server, so tests of one class do not see each other's rows. */
final class TestDatabases {

  private static final AtomicInteger NEXT = new AtomicInteger();

  private TestDatabases() {}

  /** Creates a new empty database and returns its JDBC URL. */
  static String fresh(PostgresServer server) throws SQLException {
    String name = "t" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return server.jdbcUrl(name);
  }
}
