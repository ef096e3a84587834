package io.framekeep.server.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.storage.DirectoryLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchServerTest {
  @TempDir
  Path parent;

  @Test
  void close_afterStart_removesDirectoryAndPort() throws Exception {
    Path dir;
    try (ScratchServer scratch = ScratchServer.start(parent, "scratch-test")) {
      dir = scratch.directory();
      assertThat(dir.getParent()).isEqualTo(parent);
      assertThat(dir.resolve("data")).isDirectory();
      assertThat(scratch.port()).isPositive();
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void removeLeftovers_unlockedDirectory_isRemoved() throws Exception {
    Path left = Files.createDirectories(parent.resolve(ScratchServer.DIR_PREFIX + "killed"));
    Files.writeString(left.resolve(ScratchServer.LOCK_FILE), "");
    Files.createDirectories(left.resolve("data/segments"));
    Files.writeString(left.resolve("data/segments/0.seg"), "bytes");
    Path noLockOld = Files.createDirectories(parent.resolve(ScratchServer.DIR_PREFIX + "early"));
    Files.setLastModifiedTime(noLockOld, FileTime.fromMillis(
        System.currentTimeMillis() - ScratchServer.UNLOCKED_GRACE_MS - 1000));
    Path noLockJustMade = Files.createDirectories(parent.resolve(ScratchServer.DIR_PREFIX + "new"));
    Path unrelated = Files.createDirectories(parent.resolve("something-else"));

    assertThat(ScratchServer.removeLeftovers(parent)).isEqualTo(2);

    assertThat(left).doesNotExist();
    assertThat(noLockOld).doesNotExist();
    assertThat(noLockJustMade).as("perhaps another process's, about to be locked").isDirectory();
    assertThat(unrelated).isDirectory();
  }

  @Test
  void removeLeftovers_lockHeld_keepsDirectory() throws Exception {
    Path inUse = Files.createDirectories(parent.resolve(ScratchServer.DIR_PREFIX + "in-use"));
    try (DirectoryLock lock = DirectoryLock.acquire(inUse.resolve(ScratchServer.LOCK_FILE))) {
      assertThat(ScratchServer.removeLeftovers(parent)).isZero();
      assertThat(inUse).isDirectory();
    }
  }

  @Test
  void start_besideALiveScratchServer_leavesItAlone() throws Exception {
    try (ScratchServer first = ScratchServer.start(parent, "scratch-test-1");
        ScratchServer second = ScratchServer.start(parent, "scratch-test-2")) {
      assertThat(first.directory()).isDirectory();
      assertThat(second.directory()).isDirectory();
    }
  }
}
