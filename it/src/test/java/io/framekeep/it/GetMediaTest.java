package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.kinesisvideo.parser.ebml.InputStreamParserByteSource;
import com.amazonaws.kinesisvideo.parser.mkv.Frame;
import com.amazonaws.kinesisvideo.parser.mkv.MkvElement;
import com.amazonaws.kinesisvideo.parser.mkv.StreamingMkvReader;
import com.amazonaws.kinesisvideo.parser.utilities.FragmentMetadata;
import com.amazonaws.kinesisvideo.parser.utilities.FrameVisitor;
import com.amazonaws.kinesisvideo.parser.utilities.MkvTrackMetadata;
import io.framekeep.api.FragmentNumbers;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetMediaForFragmentListResponse;
import software.amazon.awssdk.services.kinesisvideomedia.KinesisVideoMediaClient;
import software.amazon.awssdk.services.kinesisvideomedia.model.ConnectionLimitExceededException;
import software.amazon.awssdk.services.kinesisvideomedia.model.GetMediaResponse;
import software.amazon.awssdk.services.kinesisvideomedia.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesisvideomedia.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesisvideomedia.model.StartSelector;
import software.amazon.awssdk.services.kinesisvideomedia.model.StartSelectorType;

/**
 * GetMedia and GetMediaForFragmentList end to end through the AWS SDK v2 clients, with AWS's own
 * KVS parser library (amazon-kinesis-video-streams-parser-library) reading the chunk stream: it
 * must find every ingested fragment with its number, server and producer timestamps, continuation
 * token and all its frames. GetMedia is also followed live while a slow PutMedia upload runs, and
 * a chunk is decoded by ffmpeg.
 */
class GetMediaTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String STREAM = "getmedia-archive";
  private static final String CODEC_H264 = "V_MPEG4/ISO/AVC";
  private static final String CODEC_AAC = "A_AAC";
  /** Ten one-second fragments of test media are read back in well under this. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path tmp;

  private static KinesisVideoClient kv;
  private static List<Fragment> fragments;
  private static int sourceAudioPackets;

  @BeforeAll
  static void uploadAndList() {
    int clusters = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size();
    sourceAudioPackets = Ffmpeg.audioPackets(TestMedia.h264Aac()).size();
    kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kv, STREAM);
    fragments = Streams.awaitFragments(archived(STREAM), STREAM,
        Streams.wholeIngestByProducerTime(ingest), clusters);
    assertThat(fragments).hasSize(clusters);
  }

  private static KinesisVideoArchivedMediaClient archived(String stream) {
    return SERVER.archivedMedia(Streams.dataEndpoint(kv, stream, APIName.GET_MEDIA_FOR_FRAGMENT_LIST));
  }

  private static KinesisVideoMediaClient media(String stream) {
    return SERVER.media(Streams.dataEndpoint(kv, stream, APIName.GET_MEDIA));
  }

  private static ResponseInputStream<GetMediaResponse> getMedia(String stream,
      Consumer<StartSelector.Builder> selector) {
    return media(stream).getMedia(r -> r.streamName(stream).startSelector(selector));
  }

  private static List<String> numbers(List<Fragment> list) {
    return list.stream().map(Fragment::fragmentNumber).toList();
  }

  // ---- GetMediaForFragmentList ----

  @Test
  void getMediaForFragmentList_reversedList_chunksInRequestOrderWithTagsAndEveryFrame()
      throws Exception {
    List<Fragment> reversed = new ArrayList<>(fragments);
    Collections.reverse(reversed);
    ResponseInputStream<GetMediaForFragmentListResponse> body = archived(STREAM)
        .getMediaForFragmentList(r -> r.streamName(STREAM).fragments(numbers(reversed)));
    assertThat(body.response().contentType()).isEqualTo("video/webm");
    ChunkCollector chunks = ChunkCollector.readAll(body);

    assertThat(chunks.numbers()).containsExactlyElementsOf(numbers(reversed));
    for (int i = 0; i < reversed.size(); i++) {
      FragmentMetadata read = chunks.fragments.get(i);
      Fragment listed = reversed.get(i);
      assertThat(read.isSuccess()).isTrue();
      assertThat(read.getServerSideTimestampMillis())
          .isEqualTo(listed.serverTimestamp().toEpochMilli());
      assertThat(read.getProducerSideTimestampMillis())
          .isEqualTo(listed.producerTimestamp().toEpochMilli());
      assertThat(read.getContinuationToken()).contains(listed.fragmentNumber());
      assertThat(read.getMillisBehindNow()).isPresent();
      assertThat(chunks.frames(listed.fragmentNumber(), CODEC_H264))
          .as("video frames of fragment %d", i).isEqualTo(TestMedia.GOP_FRAMES);
    }
    assertThat(chunks.totalFrames(CODEC_H264)).isEqualTo(TestMedia.VIDEO_FRAME_COUNT);
    assertThat(chunks.totalFrames(CODEC_AAC)).isEqualTo(sourceAudioPackets);
  }

  @Test
  void getMediaForFragmentList_unknownAndForeignNumbers_invalidArgumentListsThem() {
    String unknown = FragmentNumbers.format(9_999_999);
    String foreign = "12345678901234567890123456789012345678901234567";
    List<String> request = List.of(fragments.get(0).fragmentNumber(), unknown, foreign);
    assertThatThrownBy(() -> archived(STREAM).getMediaForFragmentList(
            r -> r.streamName(STREAM).fragments(request)))
        .isInstanceOf(software.amazon.awssdk.services.kinesisvideoarchivedmedia.model
            .InvalidArgumentException.class)
        .hasMessageContaining("Fragment numbers are invalid : [" + unknown + ", " + foreign + "]");
  }

  @Test
  void getMediaForFragmentList_oneChunk_ffmpegDecodesEveryFrame() throws Exception {
    Fragment second = fragments.get(1);
    Path chunk = tmp.resolve("chunk.mkv");
    try (InputStream in = archived(STREAM).getMediaForFragmentList(
        r -> r.streamName(STREAM).fragments(second.fragmentNumber()))) {
      Files.write(chunk, in.readAllBytes());
    }
    // ffmpeg's null muxer complains about DTS it guesses for B-frames in any MKV (the source file
    // too); what matters is that nothing fails to decode and every picture is the source's.
    assertThat(Ffmpeg.decodeErrors(chunk)).doesNotContainIgnoringCase("error while decoding")
        .doesNotContainIgnoringCase("invalid data");
    MediaAsserts.assertFramesEqualSource(Ffmpeg.hashes(Ffmpeg.videoFrames(chunk)),
        Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac())), TestMedia.GOP_FRAMES,
        TestMedia.GOP_FRAMES);
    assertThat(Ffmpeg.codecNames(chunk)).contains("h264", "aac");
  }

  // ---- GetMedia from the archive ----

  @Test
  void getMedia_earliest_everyArchivedFragmentInOrderWithItsFrames() throws Exception {
    try (ChunkReading reading = new ChunkReading(getMedia(STREAM,
        s -> s.startSelectorType(StartSelectorType.EARLIEST)))) {
      assertThat(reading.in.response().contentType()).isEqualTo("video/webm");
      List<FragmentMetadata> read = reading.awaitComplete(fragments.size(), READ_TIMEOUT);
      assertThat(read).extracting(FragmentMetadata::getFragmentNumberString)
          .containsExactlyElementsOf(numbers(fragments));
      assertThat(read).extracting(FragmentMetadata::getProducerSideTimestampMillis)
          .containsExactlyElementsOf(
              fragments.stream().map(f -> f.producerTimestamp().toEpochMilli()).toList());
      assertThat(read.get(read.size() - 1).getMillisBehindNow()).hasValue(0);
      assertThat(reading.collector.totalFrames(CODEC_H264)).isEqualTo(TestMedia.VIDEO_FRAME_COUNT);
    }
  }

  @Test
  void getMedia_afterFragmentNumber_startsWithTheNextFragment() throws Exception {
    assertFirstChunk(s -> s.startSelectorType(StartSelectorType.FRAGMENT_NUMBER)
        .afterFragmentNumber(fragments.get(3).fragmentNumber()), fragments.get(4));
  }

  @Test
  void getMedia_continuationToken_resumesAfterIt() throws Exception {
    assertFirstChunk(s -> s.startSelectorType(StartSelectorType.CONTINUATION_TOKEN)
        .continuationToken(fragments.get(5).fragmentNumber()), fragments.get(6));
  }

  @Test
  void getMedia_producerTimestampInsideFragment_startsWithThatFragment() throws Exception {
    Fragment third = fragments.get(2);
    Instant inside = third.producerTimestamp().plusMillis(third.fragmentLengthInMilliseconds() / 2);
    assertFirstChunk(s -> s.startSelectorType(StartSelectorType.PRODUCER_TIMESTAMP)
        .startTimestamp(inside), third);
  }

  /**
   * A fragment whose cluster opens with an audio block ahead of its key frame ends, by timestamp
   * plus length (its video span), before the next one starts; an instant between still shows its
   * video, so GetMedia starts with it rather than with the next fragment.
   */
  @Test
  void getMedia_producerTimestampPastLengthBeforeNextFragment_startsWithThatFragment()
      throws Exception {
    int gapAfter = -1;
    for (int i = 0; i + 1 < fragments.size() && gapAfter < 0; i++) {
      Instant lengthEnd = fragments.get(i).producerTimestamp()
          .plusMillis(fragments.get(i).fragmentLengthInMilliseconds());
      if (lengthEnd.isBefore(fragments.get(i + 1).producerTimestamp())) {
        gapAfter = i;
      }
    }
    assertThat(gapAfter).as("a fragment whose length ends before the next starts").isNotNegative();
    Fragment holder = fragments.get(gapAfter);
    Instant instant = holder.producerTimestamp()
        .plusMillis(holder.fragmentLengthInMilliseconds());

    assertFirstChunk(s -> s.startSelectorType(StartSelectorType.PRODUCER_TIMESTAMP)
        .startTimestamp(instant), holder);
  }

  @Test
  void getMedia_serverTimestampOfFragment_startsWithThatFragment() throws Exception {
    Fragment last = fragments.get(fragments.size() - 1);
    assertFirstChunk(s -> s.startSelectorType(StartSelectorType.SERVER_TIMESTAMP)
        .startTimestamp(last.serverTimestamp()), last);
  }

  @Test
  void getMedia_now_startsWithTheNewestFragment() throws Exception {
    assertFirstChunk(s -> s.startSelectorType(StartSelectorType.NOW),
        fragments.get(fragments.size() - 1));
  }

  private static void assertFirstChunk(Consumer<StartSelector.Builder> selector, Fragment expected)
      throws Exception {
    try (ChunkReading reading = new ChunkReading(getMedia(STREAM, selector))) {
      List<FragmentMetadata> read = reading.awaitComplete(1, READ_TIMEOUT);
      assertThat(read.get(0).getFragmentNumberString()).isEqualTo(expected.fragmentNumber());
      assertThat(read.get(0).getServerSideTimestampMillis())
          .isEqualTo(expected.serverTimestamp().toEpochMilli());
    }
  }

  // ---- GetMedia errors ----

  @Test
  void getMedia_unknownStream_resourceNotFound() {
    assertThatThrownBy(() -> media(STREAM).getMedia(r -> r.streamName("no-such-stream")
            .startSelector(s -> s.startSelectorType(StartSelectorType.EARLIEST))))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void getMedia_fragmentNumberSelectorWithoutNumber_invalidArgument() {
    assertThatThrownBy(() -> getMedia(STREAM,
            s -> s.startSelectorType(StartSelectorType.FRAGMENT_NUMBER)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("AfterFragmentNumber");
  }

  @Test
  void getMedia_unknownFragmentNumber_invalidArgument() {
    assertThatThrownBy(() -> getMedia(STREAM,
            s -> s.startSelectorType(StartSelectorType.FRAGMENT_NUMBER)
                .afterFragmentNumber(FragmentNumbers.format(9_999_999))))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getMedia_fourthConnection_connectionLimitExceededUntilOneCloses() throws Exception {
    String stream = "getmedia-limit";
    Streams.create(kv, stream, 24);
    List<ResponseInputStream<GetMediaResponse>> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(getMedia(stream, s -> s.startSelectorType(StartSelectorType.NOW)));
      }
      assertThatThrownBy(() -> getMedia(stream, s -> s.startSelectorType(StartSelectorType.NOW)))
          .isInstanceOf(ConnectionLimitExceededException.class);
      open.remove(0).abort();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      ResponseInputStream<GetMediaResponse> again = null;
      while (again == null) {
        try {
          again = getMedia(stream, s -> s.startSelectorType(StartSelectorType.NOW));
        } catch (ConnectionLimitExceededException e) {
          assertThat(System.nanoTime()).as("slot freed after a client left").isLessThan(deadline);
          Streams.sleep(250); // under GetMedia's 5 requests per second
        }
      }
      open.add(again);
    } finally {
      open.forEach(ResponseInputStream::abort);
    }
  }

  // ---- GetMedia along the live edge ----

  @Test
  void getMedia_earliestWhileUploading_archiveThenLiveFragmentsAsTheyArrive() throws Exception {
    String stream = "getmedia-live";
    Streams.create(kv, stream, 24);
    Streams.ingestTestMedia(kv, stream);
    int perUpload = fragments.size();
    try (ChunkReading reading = new ChunkReading(getMedia(stream,
        s -> s.startSelectorType(StartSelectorType.EARLIEST)))) {
      reading.awaitComplete(perUpload, READ_TIMEOUT);

      // About five seconds for ten seconds of media: the upload is still going while we read.
      PacedInputStream paced = new PacedInputStream(
          new ByteArrayInputStream(TestMedia.h264AacBytes()), 8 * 1024, 80);
      Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, paced, producerStart)) {
        reading.awaitComplete(perUpload + 1, READ_TIMEOUT);
        assertThat(paced.exhausted()).as("first live chunk arrived while the upload was running")
            .isFalse();
        List<FragmentMetadata> read = reading.awaitComplete(2 * perUpload, READ_TIMEOUT);
        assertThat(upload.await(Streams.UPLOAD_TIMEOUT).status()).isEqualTo(200);

        List<Fragment> listed = Streams.listAll(archived(stream), stream,
            Streams.selector(
                software.amazon.awssdk.services.kinesisvideoarchivedmedia.model
                    .FragmentSelectorType.SERVER_TIMESTAMP,
                Instant.EPOCH, Instant.now()), null);
        listed.sort((a, b) -> a.fragmentNumber().compareTo(b.fragmentNumber()));
        assertThat(read).extracting(FragmentMetadata::getFragmentNumberString)
            .containsExactlyElementsOf(numbers(listed));
        assertThat(reading.collector.totalFrames(CODEC_H264))
            .isEqualTo(2 * TestMedia.VIDEO_FRAME_COUNT);
      }
    }
  }

  /**
   * A stream without data retention archives nothing (no PERSISTED acks, nothing listed) but
   * keeps AWS's live buffer: GetMedia from NOW, started before the upload, reads every fragment of
   * it as it arrives, with the fragment numbers the BUFFERING acks announced.
   */
  @Test
  void getMedia_retentionZeroStream_readsTheLiveBufferWhileNothingIsArchived() throws Exception {
    String stream = "getmedia-no-retention";
    Streams.create(kv, stream, 0);
    try (ChunkReading reading = new ChunkReading(getMedia(stream,
        s -> s.startSelectorType(StartSelectorType.NOW)))) {
      PacedInputStream paced = new PacedInputStream(
          new ByteArrayInputStream(TestMedia.h264AacBytes()), 8 * 1024, 40);
      PutMediaClient.Response response;
      try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, paced, Instant.now())) {
        response = upload.await(Streams.UPLOAD_TIMEOUT);
      }
      List<String> announced = response.acks("BUFFERING").stream()
          .map(PutMediaClient.Ack::fragmentNumber).toList();
      List<FragmentMetadata> read = reading.awaitComplete(fragments.size(), READ_TIMEOUT);

      assertThat(response.acks("PERSISTED")).as("nothing is archived").isEmpty();
      assertThat(announced).hasSize(fragments.size());
      assertThat(read).extracting(FragmentMetadata::getFragmentNumberString)
          .containsExactlyElementsOf(announced);
      assertThat(reading.collector.totalFrames(CODEC_H264))
          .isEqualTo(TestMedia.VIDEO_FRAME_COUNT);
      assertThat(Streams.listAll(archived(stream), stream, Streams.selector(
          software.amazon.awssdk.services.kinesisvideoarchivedmedia.model
              .FragmentSelectorType.SERVER_TIMESTAMP, Instant.EPOCH, Instant.now()), null))
          .as("ListFragments").isEmpty();
    }
  }

  // ---- the oracle ----

  /**
   * Collects what AWS's parser library reports: the fragments in order of appearance (their
   * metadata objects gain MILLIS_BEHIND_NOW and the continuation token once the chunk's trailing
   * tags are read, which is how a chunk is known to be complete) and frames per fragment and codec.
   */
  static final class ChunkCollector implements FrameVisitor.FrameProcessor {
    final List<FragmentMetadata> fragments = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Integer>> frames = new ConcurrentHashMap<>();

    static ChunkCollector readAll(InputStream in) throws Exception {
      ChunkCollector collector = new ChunkCollector();
      try (in) {
        StreamingMkvReader reader =
            StreamingMkvReader.createDefault(new InputStreamParserByteSource(in));
        FrameVisitor visitor = FrameVisitor.create(collector);
        while (reader.mightHaveNext()) {
          Optional<MkvElement> element = reader.nextIfAvailable();
          if (element.isPresent()) {
            element.get().accept(visitor);
          }
        }
      }
      return collector;
    }

    @Override
    public void process(Frame frame, MkvTrackMetadata track, Optional<FragmentMetadata> metadata) {
      FragmentMetadata fragment = metadata.orElseThrow(
          () -> new AssertionError("frame outside a tagged chunk"));
      if (fragments.isEmpty() || fragments.get(fragments.size() - 1) != fragment) {
        fragments.add(fragment);
      }
      frames.computeIfAbsent(fragment.getFragmentNumberString(), k -> new ConcurrentHashMap<>())
          .merge(track.getCodecId(), 1, Integer::sum);
    }

    List<String> numbers() {
      return fragments.stream().map(FragmentMetadata::getFragmentNumberString).toList();
    }

    int frames(String fragmentNumber, String codecId) {
      return frames.getOrDefault(fragmentNumber, Map.of()).getOrDefault(codecId, 0);
    }

    int totalFrames(String codecId) {
      return frames.values().stream().mapToInt(m -> m.getOrDefault(codecId, 0)).sum();
    }

    /** Fragments whose trailing tags have been read. */
    List<FragmentMetadata> complete() {
      return fragments.stream().filter(f -> f.getContinuationToken().isPresent()).toList();
    }
  }

  /** Reads a long-lived GetMedia body with the parser library on a thread of its own. */
  static final class ChunkReading implements AutoCloseable {
    final ResponseInputStream<GetMediaResponse> in;
    final ChunkCollector collector = new ChunkCollector();
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean ended;

    ChunkReading(ResponseInputStream<GetMediaResponse> in) {
      this.in = in;
      this.thread = new Thread(this::run, "getmedia-reader");
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      try {
        StreamingMkvReader reader =
            StreamingMkvReader.createDefault(new InputStreamParserByteSource(in));
        FrameVisitor visitor = FrameVisitor.create(collector);
        while (reader.mightHaveNext()) {
          Optional<MkvElement> element = reader.nextIfAvailable();
          if (element.isPresent()) {
            element.get().accept(visitor);
          }
        }
      } catch (Throwable t) {
        failure = t;
      } finally {
        ended = true;
      }
    }

    /** Waits until {@code count} chunks are complete; returns them. */
    List<FragmentMetadata> awaitComplete(int count, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        List<FragmentMetadata> complete = collector.complete();
        if (complete.size() >= count) {
          return complete;
        }
        if (ended) {
          throw new AssertionError("the body ended after " + complete.size() + " of " + count
              + " chunks", failure);
        }
        assertThat(System.nanoTime()).as("%d of %d chunks within %s", complete.size(), count,
            timeout).isLessThan(deadline);
        Streams.sleep(20);
      }
    }

    @Override
    public void close() throws InterruptedException {
      in.abort();
      thread.join(5_000);
    }
  }

  /** Hands out at most {@code pieceBytes} per read, sleeping {@code pauseMs} before each. */
  static final class PacedInputStream extends FilterInputStream {
    private final int pieceBytes;
    private final long pauseMs;
    private volatile boolean exhausted;

    PacedInputStream(InputStream in, int pieceBytes, long pauseMs) {
      super(in);
      this.pieceBytes = pieceBytes;
      this.pauseMs = pauseMs;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Streams.sleep(pauseMs);
      int n = super.read(b, off, Math.min(len, pieceBytes));
      if (n < 0) {
        exhausted = true;
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    boolean exhausted() {
      return exhausted;
    }
  }
}
