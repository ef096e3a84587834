package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Compares a text dump (box tree with sizes, edit lists, every sample's timing, size, file offset
 * and content hash, read back with isoparser) with a committed golden file. After an intended
 * change, regenerate with {@code mvn -pl media test -Dtest=ProgressiveMp4GoldenTest
 * -Dgolden.update=true} and review the diff.
 */
class ProgressiveMp4GoldenTest {
  private static final Path GOLDEN_DIR = Path.of("src", "test", "resources", "mp4");

  @Test
  void build_twoBFrameGopsWithAudio_matchesGoldenDump() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(2);
    byte[] file = clip.write(ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader())));

    assertGolden("bframe-gops-aac.golden.txt", Mp4Inspector.dump(file));
  }

  static void assertGolden(String name, String actual) throws Exception {
    Path golden = GOLDEN_DIR.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN_DIR);
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file; create it with -Dgolden.update=true").exists();
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
