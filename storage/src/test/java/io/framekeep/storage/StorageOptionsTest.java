package io.framekeep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageOptionsTest {

  @Test
  void defaults_maxSegmentBytes_isOneGibibyte() {
    assertThat(StorageOptions.defaults().maxSegmentBytes()).isEqualTo(1L << 30);
  }

  @Test
  void constructor_nonPositiveSegmentSize_throwsIllegalArgument() {
    assertThatThrownBy(() -> new StorageOptions(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StorageOptions(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
