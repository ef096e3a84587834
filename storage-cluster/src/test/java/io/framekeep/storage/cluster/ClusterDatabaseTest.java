package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.testing.cluster.PostgresServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class ClusterDatabaseTest {

  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Test
  void migrate_sixNodesAtOnce_appliesEachMigrationExactlyOnce() throws Exception {
    String url = TestDatabases.fresh(postgres);
    int nodes = 6;
    CyclicBarrier start = new CyclicBarrier(nodes);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<Integer>> applied = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        applied.add(pool.submit(() -> {
          PGSimpleDataSource dataSource = new PGSimpleDataSource();
          dataSource.setUrl(url);
          start.await();
          return ClusterDatabase.migrate(dataSource);
        }));
      }
      int total = 0;
      for (Future<Integer> result : applied) {
        total += result.get();
      }

      List<String> migrations = List.of("1", "2", "3"); // V1__cluster_schema, V2__shared_secrets, V3__object_lifecycle
      assertThat(total).isEqualTo(migrations.size());
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
           ResultSet rows = s.executeQuery("SELECT version, success FROM flyway_schema_history"
               + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
        for (String version : migrations) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo(version);
          assertThat(rows.getBoolean(2)).isTrue();
        }
        assertThat(rows.next()).isFalse();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void open_migratedDatabase_appliesNothingAndKeepsRows() throws Exception {
    String url = TestDatabases.fresh(postgres);
    try (ClusterDatabase first = ClusterDatabase.open(url, null, null)) {
      first.transaction(c -> {
        try (Statement s = c.createStatement()) {
          return s.executeUpdate("INSERT INTO streams (name, arn, creation_time_ms, data_retention_hours)"
              + " VALUES ('cam', 'arn:cam', 1, 0)");
        }
      });
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);

    assertThat(ClusterDatabase.migrate(dataSource)).isZero();
    try (ClusterDatabase second = ClusterDatabase.open(url, null, null)) {
      List<String> names = second.transaction(
          c -> Sql.query(c, "SELECT name FROM streams", s -> { }, r -> r.getString(1)));
      assertThat(names).containsExactly("cam");
    }
  }

  @Test
  void open_unreachableDatabase_failsWithIoException() {
    String url = "jdbc:postgresql://127.0.0.1:1/none?user=postgres&connectTimeout=2";

    assertThatThrownBy(() -> ClusterDatabase.open(url, null, null)).isInstanceOf(IOException.class);
  }

  @Test
  void io_databaseStopped_storageUnavailableThenWorksAgainOnceRestarted() throws Exception {
    String url = TestDatabases.fresh(postgres);
    try (ClusterDatabase database = ClusterDatabase.open(url, null, null)) {
      assertThat(probe(database)).containsExactly(1);
      postgres.stop();
      try {
        assertThatThrownBy(() -> probe(database))
            .isInstanceOf(io.framekeep.storage.StorageUnavailableException.class);
        assertThatThrownBy(() -> database.call("probe", c -> Sql.query(c, "SELECT 1", s -> { },
            row -> row.getInt(1))))
            .isInstanceOf(io.framekeep.storage.StorageException.class)
            .satisfies(e -> assertThat(io.framekeep.storage.StorageUnavailableException.causes(e))
                .isTrue());
      } finally {
        postgres.restart();
      }
      assertThat(probe(database)).as("the pool reconnects by itself").containsExactly(1);
    }
  }

  @Test
  void io_pooledConnectionEndedByTheServer_workRunsAgainOnAFreshConnection() throws Exception {
    String url = TestDatabases.fresh(postgres);
    try (ClusterDatabase database = ClusterDatabase.open(url, null, null)) {
      assertThat(probe(database)).containsExactly(1);
      // What a restart does to the pool's idle connections: the server ends them (57P01). The pool
      // checks a connection only after 500 ms idle, so the next call gets the dead one.
      try (Connection admin = DriverManager.getConnection(url);
          Statement st = admin.createStatement()) {
        st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
      }

      assertThat(probe(database)).as("run again on a fresh connection").containsExactly(1);
      assertThat(probe(database)).containsExactly(1);
    }
  }

  @Test
  void droppedByServer_shutdownAndResetButNotTimeoutsOrStatementErrors() {
    assertThat(ClusterDatabase.droppedByServer(new SQLException("terminating", "57P01"))).isTrue();
    assertThat(ClusterDatabase.droppedByServer(new SQLException("I/O error", "08006"))).isTrue();
    assertThat(ClusterDatabase.droppedByServer(new SQLException("read timed out", "08006",
        new java.net.SocketTimeoutException("Read timed out")))).isFalse();
    assertThat(ClusterDatabase.droppedByServer(new SQLException("duplicate key", "23505"))).isFalse();
    assertThat(ClusterDatabase.droppedByServer(new SQLException("no state"))).isFalse();
  }

  private static List<Integer> probe(ClusterDatabase database) throws IOException {
    return database.io("probe", c -> Sql.query(c, "SELECT 1", s -> { }, row -> row.getInt(1)));
  }

  @Test
  void io_statementRefused_plainIoExceptionNotUnavailable() throws Exception {
    String url = TestDatabases.fresh(postgres);
    try (ClusterDatabase database = ClusterDatabase.open(url, null, null)) {
      assertThatThrownBy(() -> database.io("bad", c -> Sql.query(c, "SELECT * FROM no_such_table",
          s -> { }, row -> 1)))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(io.framekeep.storage.StorageUnavailableException.class);
    }
  }
}
