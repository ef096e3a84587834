package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.it.PutMediaClient.Ack;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * Credential rotation as AWS's producer SDK does it: about 3 s before it ends a PutMedia it opens
 * the next one on the same stream (new credentials), and the media continues on the new
 * connection from the next key frame. Both connections stream real-time media here: the old one
 * the first half of a continuous encode, the new one its header at once and then the second half,
 * as the frames come. Nothing may be refused, lost or doubled.
 */
class PutMediaRotationTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final int SECONDS = 12;
  /** One-second fragments, as the producer SDK's key-frame fragmentation gives at GOP 1 s. */
  private static final int GOP_FRAMES = TestMedia.VIDEO_FRAMES_PER_SECOND;
  /** The new connection's first fragment is this cluster of the encode. */
  private static final int FIRST_CLUSTER_OF_NEW = 6;
  /** The producer SDK opens the next connection this long before it ends the old one. */
  private static final long OVERLAP_MS = 3_000;
  /** Body piece size for real-time pacing. */
  private static final int PIECE_BYTES = 4 * 1024;

  @TempDir Path tmp;

  @Test
  void putMedia_newConnectionOpened3sBeforeOldEnds_everyFrameOnceAndFragmentsInOrder()
      throws Exception {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    String stream = "pm-rotation";
    Streams.create(kv, stream, 24);
    Path source = TestMedia.h264Aac(SECONDS, GOP_FRAMES);
    byte[] mkv = TestMedia.bytes(source);
    List<Integer> clusterStarts = MkvEdit.of(mkv).clusterStarts();
    assertThat(clusterStarts).hasSize(SECONDS);
    int split = clusterStarts.get(FIRST_CLUSTER_OF_NEW);
    byte[] header = Arrays.copyOfRange(mkv, 0, clusterStarts.get(0));
    long oldMs = FIRST_CLUSTER_OF_NEW * 1000L;
    long newMs = (SECONDS - FIRST_CLUSTER_OF_NEW) * 1000L;

    CountDownLatch oldBodySent = new CountDownLatch(1);
    InputStream oldBody = new EndSignallingInputStream(
        paced(Arrays.copyOfRange(mkv, 0, split), oldMs), oldBodySent);
    // The new connection has its header at once; its frames come after the old one's last.
    InputStream newBody = new SequenceInputStream(Collections.enumeration(List.of(
        new ByteArrayInputStream(header),
        new PutMediaErrorsTest.GateInputStream(oldBodySent),
        paced(Arrays.copyOfRange(mkv, split, mkv.length), newMs))));
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant serverBefore = Instant.now();

    PutMediaClient.Response oldResponse;
    PutMediaClient.Response newResponse;
    try (PutMediaClient.Upload old = Streams.startUpload(kv, stream, oldBody, producerStart)) {
      Streams.sleep(oldMs - OVERLAP_MS);
      try (PutMediaClient.Upload next = Streams.startUpload(kv, stream, newBody, producerStart)) {
        oldResponse = old.await(Streams.UPLOAD_TIMEOUT);
        newResponse = next.await(Streams.UPLOAD_TIMEOUT);
      }
    }

    assertThat(oldResponse.status()).isEqualTo(200);
    assertThat(newResponse.status()).as("new connection: %s", newResponse.body()).isEqualTo(200);
    assertThat(oldResponse.acks("ERROR")).as("old connection's errors").isEmpty();
    assertThat(newResponse.acks("ERROR")).as("new connection's errors").isEmpty();
    List<BigInteger> oldNumbers = numbers(oldResponse.acks("PERSISTED"));
    List<BigInteger> newNumbers = numbers(newResponse.acks("PERSISTED"));
    assertThat(oldNumbers).hasSize(FIRST_CLUSTER_OF_NEW).isSorted();
    assertThat(newNumbers).hasSize(SECONDS - FIRST_CLUSTER_OF_NEW).isSorted();
    assertThat(oldNumbers.get(oldNumbers.size() - 1)).isLessThan(newNumbers.get(0));

    KinesisVideoArchivedMediaClient archived = SERVER.archivedMedia(
        Streams.dataEndpoint(kv, stream, APIName.LIST_FRAGMENTS));
    List<Fragment> listed = new ArrayList<>(Streams.awaitFragments(archived, stream,
        Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP, producerStart,
            producerStart.plusSeconds(SECONDS + 1)), SECONDS));
    listed.sort((a, b) -> new BigInteger(a.fragmentNumber())
        .compareTo(new BigInteger(b.fragmentNumber())));
    assertThat(listed).hasSize(SECONDS);
    assertThat(listed).extracting(Fragment::producerTimestamp).isSorted();

    Path clip = tmp.resolve("rotation.mp4");
    SERVER.archivedMedia(Streams.dataEndpoint(kv, stream, APIName.GET_CLIP)).getClip(r -> r
            .streamName(stream).clipFragmentSelector(s -> s
                .fragmentSelectorType(ClipFragmentSelectorType.SERVER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(serverBefore.minusSeconds(1))
                    .endTimestamp(Instant.now()))),
        ResponseTransformer.toFile(clip));
    List<String> sourceFrames = Ffmpeg.hashes(Ffmpeg.videoFrames(source));
    assertThat(sourceFrames).hasSize(SECONDS * TestMedia.VIDEO_FRAMES_PER_SECOND);
    MediaAsserts.assertFramesEqualSource(Ffmpeg.hashes(Ffmpeg.videoFrames(clip)), sourceFrames,
        0, sourceFrames.size());
    assertThat(Files.size(clip)).isPositive();
  }

  /**
   * A producer that does not stop on the old connection: it keeps sending clusters after the new
   * connection's first fragment. The old connection's fragment in flight is archived; what it
   * sends after that is not; its response ends without an error; the new one archives the rest.
   */
  @Test
  void putMedia_oldConnectionKeepsSendingAfterTakeover_laterFragmentsDroppedCleanEnd() {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    String stream = "pm-rotation-overlong";
    Streams.create(kv, stream, 24);
    Path source = TestMedia.h264Aac(SECONDS, GOP_FRAMES);
    byte[] mkv = TestMedia.bytes(source);
    List<Integer> clusterStarts = MkvEdit.of(mkv).clusterStarts();
    int split = clusterStarts.get(FIRST_CLUSTER_OF_NEW);
    byte[] header = Arrays.copyOfRange(mkv, 0, clusterStarts.get(0));
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    // The old connection sends the whole encode over 12 s; the new one starts at 3 s with the
    // second half, unpaced.
    try (PutMediaClient.Upload old = Streams.startUpload(kv, stream, paced(mkv, SECONDS * 1000L),
        producerStart)) {
      Streams.sleep(3_000);
      byte[] newBody = concat(header, Arrays.copyOfRange(mkv, split, mkv.length));
      PutMediaClient.Response newResponse;
      try (PutMediaClient.Upload next = Streams.startUpload(kv, stream,
          new ByteArrayInputStream(newBody), producerStart)) {
        newResponse = next.await(Streams.UPLOAD_TIMEOUT);
      }
      PutMediaClient.Response oldResponse = old.await(Streams.UPLOAD_TIMEOUT);

      assertThat(oldResponse.acks("ERROR")).isEmpty();
      assertThat(newResponse.acks("ERROR")).isEmpty();
      List<BigInteger> oldNumbers = numbers(oldResponse.acks("PERSISTED"));
      List<BigInteger> newNumbers = numbers(newResponse.acks("PERSISTED"));
      // At 3 s the old connection is inside its third or fourth fragment, which it completes.
      assertThat(oldNumbers).hasSizeBetween(2, 5).isSorted();
      assertThat(newNumbers).hasSize(SECONDS - FIRST_CLUSTER_OF_NEW).isSorted();
      assertThat(oldNumbers.get(oldNumbers.size() - 1)).isLessThan(newNumbers.get(0));
      List<String> buffering = oldResponse.acks("BUFFERING").stream()
          .map(Ack::fragmentNumber).toList();
      assertThat(buffering).as("the old connection starts no fragment after its last")
          .hasSize(oldNumbers.size());
    }
  }

  private static List<BigInteger> numbers(List<Ack> acks) {
    return acks.stream().map(Ack::fragmentNumberValue).toList();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** {@code bytes} sent evenly over about {@code durationMs}, as a real-time encoder sends. */
  private static GetMediaTest.PacedInputStream paced(byte[] bytes, long durationMs) {
    long pieces = Math.max(1, (bytes.length + PIECE_BYTES - 1) / PIECE_BYTES);
    return new GetMediaTest.PacedInputStream(new ByteArrayInputStream(bytes), PIECE_BYTES,
        durationMs / pieces);
  }

  /** Counts {@code ended} down when the stream reaches its end. */
  private static final class EndSignallingInputStream extends FilterInputStream {
    private final CountDownLatch ended;

    EndSignallingInputStream(InputStream in, CountDownLatch ended) {
      super(in);
      this.ended = ended;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        ended.countDown();
      }
      return n;
    }
  }

}
