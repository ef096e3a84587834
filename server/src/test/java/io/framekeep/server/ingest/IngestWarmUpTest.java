package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestWarmUpTest {
  @Test
  void run_builtInMedia_ingestsEveryClusterOfEveryPass() throws Exception {
    // The built-in MKV is 3 s of live-layout media with one cluster per second.
    assertThat(IngestWarmUp.run(1)).isEqualTo(3);
    assertThat(IngestWarmUp.run(5)).isEqualTo(15);
  }
}
