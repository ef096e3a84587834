package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import org.junit.jupiter.api.Test;

class ClipWriterTest {

  @Test
  void write_readerDeliversTooFewBytes_ioException() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(1);
    ClipLayout layout = ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader()));
    ClipWriter.SampleReader shortReader = (run, out) -> out.write(ByteBuffer.allocate(1));

    assertThatThrownBy(() -> ClipWriter.write(layout, shortReader,
        Channels.newChannel(new ByteArrayOutputStream())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("delivered 1 bytes");
  }
}
