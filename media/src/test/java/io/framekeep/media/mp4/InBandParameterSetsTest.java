package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.fmp4.InBandParameterSets;
import io.framekeep.media.mkv.TrackInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class InBandParameterSetsTest {
  @Test
  void of_h264Track_eachSpsAndPpsPrefixedWithTheDeclaredLength() throws Exception {
    TrackInfo video = SyntheticClip.standardHeader().tracks().stream()
        .filter(TrackInfo::isVideo).findFirst().orElseThrow();
    AvcDecoderConfig avc = AvcDecoderConfig.parse(video.codecPrivate());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (byte[] nal : avc.sps()) {
      expected.writeBytes(lengthPrefix(avc.nalLengthSize(), nal.length));
      expected.writeBytes(nal);
    }
    for (byte[] nal : avc.pps()) {
      expected.writeBytes(lengthPrefix(avc.nalLengthSize(), nal.length));
      expected.writeBytes(nal);
    }

    assertThat(InBandParameterSets.of(video)).isEqualTo(expected.toByteArray()).isNotEmpty();
  }

  private static byte[] lengthPrefix(int size, int length) {
    byte[] four = ByteBuffer.allocate(4).putInt(length).array();
    return java.util.Arrays.copyOfRange(four, 4 - size, 4);
  }
}
