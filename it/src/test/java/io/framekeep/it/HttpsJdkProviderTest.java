package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.tls.TlsOptions;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;

/**
 * HTTPS with the JDK's own TLS (the fallback where BoringSSL does not load) and with TLS on the
 * main port, so there is no plain listener: upload and GetClip through the AWS SDK v2, the clip's
 * frames compared with the source.
 */
class HttpsJdkProviderTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withTls(TlsOptions.pem(TestTls.shared().cert(), TestTls.shared().key())
          .withProvider(TlsOptions.Provider.JDK)));
  private static final String STREAM = "https-jdk";

  @TempDir static Path tmp;

  @Test
  void getClip_jdkTlsOnMainPort_framesEqualSource() {
    assertThat(SERVER.server().tls().provider()).isEqualTo(SslProvider.JDK);
    assertThat(SERVER.baseUrl()).startsWith("https://");
    assertThat(SERVER.server().tlsPort()).isEqualTo(-1);
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kv, STREAM);
    assertThat(ingest.response().acks("PERSISTED")).hasSizeGreaterThanOrEqualTo(
        TestMedia.DURATION_SECONDS);
    Path clip = tmp.resolve("jdk.mp4");
    SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.GET_CLIP)).getClip(r -> r
            .streamName(STREAM).clipFragmentSelector(s -> s
                .fragmentSelectorType(ClipFragmentSelectorType.SERVER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(ingest.serverBefore().minusSeconds(1))
                    .endTimestamp(Instant.now()))),
        ResponseTransformer.toFile(clip));

    List<String> source = Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac()));
    List<String> frames = Ffmpeg.hashes(Ffmpeg.videoFrames(clip));
    MediaAsserts.assertFramesEqualSource(frames, source, 0, TestMedia.VIDEO_FRAME_COUNT);
  }
}
