package io.framekeep.storage.cluster;

import io.framekeep.storage.StreamCatalog;
import io.framekeep.storage.StreamCatalogContract;
import io.framekeep.testing.cluster.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link StreamCatalogContract} on PostgreSQL: the cluster catalogue keeps the embedded one's contract. */
class PgStreamCatalogTest extends StreamCatalogContract {

  private static PostgresServer postgres;
  private ClusterDatabase database;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  protected StreamCatalog openCatalog() throws Exception {
    database = ClusterDatabase.open(TestDatabases.fresh(postgres), null, null);
    return new PgStreamCatalog(database);
  }

  @Override
  protected void closeCatalog() {
    database.close();
  }
}
