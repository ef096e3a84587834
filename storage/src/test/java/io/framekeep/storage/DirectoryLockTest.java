package io.framekeep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
  @TempDir
  Path dir;

  @Test
  void acquire_whileHeld_refusedAndIsHeld() throws Exception {
    Path file = dir.resolve("x.lock");
    try (DirectoryLock lock = DirectoryLock.acquire(file)) {
      assertThat(DirectoryLock.isHeld(file)).isTrue();
      assertThatThrownBy(() -> DirectoryLock.acquire(file)).isInstanceOf(IOException.class);
    }
    assertThat(DirectoryLock.isHeld(file)).isFalse();
    DirectoryLock.acquire(file).close();
  }

  @Test
  void isHeld_missingFile_false() {
    assertThat(DirectoryLock.isHeld(dir.resolve("none.lock"))).isFalse();
  }
}
