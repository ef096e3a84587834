package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link StreamCatalogContract} on the embedded SQLite catalogue. */
class StreamCatalogTest extends StreamCatalogContract {

  @TempDir Path dataDir;
  private EmbeddedStorage storage;

  @Override
  protected StreamCatalog openCatalog() throws Exception {
    storage = EmbeddedStorage.open(dataDir, CLOCK);
    return storage.catalog();
  }

  @Override
  protected void closeCatalog() throws Exception {
    storage.close();
  }
}
