package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideo.model.StreamInfo;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelector;

/** What was stored survives closing the server and starting a new one on the same directory. */
class RestartTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String STREAM = "restart-h264-aac";

  @TempDir Path tmp;

  @Test
  void getClipAndListFragments_afterRestartOnSameDataDir_sameFragmentsAndByteIdenticalClip()
      throws Exception {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kv, STREAM);
    FragmentSelector all = Streams.wholeIngestByProducerTime(ingest);
    int persisted = ingest.response().acks("PERSISTED").size();
    List<Fragment> before = Streams.awaitFragments(
        SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.LIST_FRAGMENTS)), STREAM,
        all, persisted);
    StreamInfo infoBefore = kv.describeStream(r -> r.streamName(STREAM)).streamInfo();
    Path clipBefore = getClip(kv, ingest, tmp.resolve("before.mp4"));

    SERVER.restart();

    KinesisVideoClient kvAfter = SERVER.kinesisVideo();
    List<Fragment> after = Streams.listAll(
        SERVER.archivedMedia(Streams.dataEndpoint(kvAfter, STREAM, APIName.LIST_FRAGMENTS)),
        STREAM, all, null);
    Path clipAfter = getClip(kvAfter, ingest, tmp.resolve("after.mp4"));

    assertThat(before).hasSize(persisted).isNotEmpty();
    assertThat(after).containsExactlyElementsOf(before);
    assertThat(kvAfter.describeStream(r -> r.streamName(STREAM)).streamInfo())
        .isEqualTo(infoBefore);
    assertThat(Files.size(clipBefore)).isPositive();
    assertThat(sha256(clipAfter)).isEqualTo(sha256(clipBefore));
  }

  private Path getClip(KinesisVideoClient kv, Streams.Ingest ingest, Path file) {
    FragmentSelector all = Streams.wholeIngestByProducerTime(ingest);
    SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.GET_CLIP)).getClip(
        r -> r.streamName(STREAM).clipFragmentSelector(s -> s
            .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(all.timestampRange().startTimestamp())
                .endTimestamp(all.timestampRange().endTimestamp()))),
        ResponseTransformer.toFile(file));
    return file;
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
