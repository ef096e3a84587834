package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideomedia.KinesisVideoMediaClient;
import software.amazon.awssdk.services.kinesisvideomedia.model.GetMediaResponse;
import software.amazon.awssdk.services.kinesisvideomedia.model.StartSelectorType;

/**
 * Soak: a {@code -Xmx512m} server process (AWS quotas on, as users run it) under mixed, ordinary
 * load for a long time: real-time PutMedia on {@link #STREAMS} streams (one 10 s file after
 * another, a new connection each, producer time continuing), GetClip of the last seconds, HLS LIVE
 * readers fetching playlist and newest segment, and GetMedia readers following each stream.
 * RSS, open files and threads are sampled every {@code soak.sampleSeconds} (60 by default) and
 * must stay flat: after the first third (warm-up), no later sample may pass the warm-up's highest
 * by more than {@link #RSS_GROWTH_MIB} MiB, {@link #FILES_GROWTH} files or {@link
 * #THREADS_GROWTH} threads.
 *
 * <p>Skipped unless {@code -Dsoak.minutes=N} is given. Long form (at least 30 minutes):
 * {@code mvn -B -o -pl it -am -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsoak.minutes=30 verify}; the samples go to {@code it/target/soak-samples.txt}.
 */
class SoakTest {
  static final int STREAMS = 4;
  static final double RSS_GROWTH_MIB = 64;
  static final long FILES_GROWTH = 32;
  static final long THREADS_GROWTH = 16;
  private static final long READER_PERIOD_MS = 5_000;

  @TempDir Path tmp;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicLong fragmentsPersisted = new AtomicLong();
  private final AtomicLong clipsServed = new AtomicLong();
  private final AtomicLong hlsSegments = new AtomicLong();
  private final AtomicLong getMediaBytes = new AtomicLong();
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

  /** One sample of the server process. */
  record Sample(long second, double rssMiB, long openFiles, double threads) {}

  @Test
  void server512m_mixedLoadForMinutes_rssFilesAndThreadsFlat() throws Exception {
    int minutes = Integer.getInteger("soak.minutes", 0);
    assumeTrue(minutes > 0, "soak runs only with -Dsoak.minutes=N");
    long sampleSeconds = Long.getLong("soak.sampleSeconds", 60);
    byte[] media = TestMedia.h264AacBytes();
    List<Sample> samples = new ArrayList<>();
    try (ServerJvm server = ServerJvm.start(tmp, "512m")) {
      KinesisVideoClient kv = server.kinesisVideo();
      KinesisVideoArchivedMediaClient archived = server.archivedMedia();
      KinesisVideoMediaClient mediaClient = server.media();
      for (int i = 0; i < STREAMS; i++) {
        String stream = "soak-" + i;
        Streams.create(kv, stream, 24);
        background("producer-" + i, () -> produce(server, stream, media));
        background("getmedia-" + i, () -> followGetMedia(mediaClient, stream));
      }
      background("clips", () -> clips(archived));
      background("hls", () -> hls(archived));

      long start = System.nanoTime();
      long end = start + Duration.ofMinutes(minutes).toNanos();
      while (System.nanoTime() < end && server.process.isAlive()) {
        long second = (System.nanoTime() - start) / 1_000_000_000L;
        samples.add(new Sample(second, server.rssMiB(), server.openFiles(), server.threads()));
        Thread.sleep(sampleSeconds * 1000);
      }
      samples.add(new Sample((System.nanoTime() - start) / 1_000_000_000L, server.rssMiB(),
          server.openFiles(), server.threads()));
      stop.set(true);
      for (Thread t : threads) {
        t.interrupt();
        t.join(10_000);
      }

      StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
          "soak %d min, %d streams: %d fragments persisted, %d clips, %d HLS segments,"
              + " %d GetMedia bytes, %d errors %s%nsecond  rss_mib  open_files  threads%n",
          minutes, STREAMS, fragmentsPersisted.get(), clipsServed.get(), hlsSegments.get(),
          getMediaBytes.get(), errors.size(), errors.stream().limit(3).toList()));
      for (Sample s : samples) {
        report.append(String.format(Locale.ROOT, "%6d  %7.0f  %10d  %7.0f%n", s.second(),
            s.rssMiB(), s.openFiles(), s.threads()));
      }
      System.out.println(report);
      Files.writeString(Path.of("target", "soak-samples.txt"), report);

      assertThat(server.process.isAlive()).isTrue();
      assertThat(errors).isEmpty();
      assertThat(fragmentsPersisted.get()).isPositive();
      assertThat(clipsServed.get()).isPositive();
      assertThat(hlsSegments.get()).isPositive();
      assertThat(getMediaBytes.get()).isPositive();
      int warm = Math.max(1, samples.size() / 3);
      List<Sample> warmUp = samples.subList(0, warm);
      double rss = warmUp.stream().mapToDouble(Sample::rssMiB).max().orElseThrow();
      long files = warmUp.stream().mapToLong(Sample::openFiles).max().orElseThrow();
      double threadCount = warmUp.stream().mapToDouble(Sample::threads).max().orElseThrow();
      for (Sample s : samples.subList(warm, samples.size())) {
        assertThat(s.rssMiB()).as("RSS at %d s", s.second()).isLessThan(rss + RSS_GROWTH_MIB);
        assertThat(s.openFiles()).as("open files at %d s", s.second())
            .isLessThan(files + FILES_GROWTH);
        assertThat(s.threads()).as("threads at %d s", s.second())
            .isLessThan(threadCount + THREADS_GROWTH);
      }
    } finally {
      stop.set(true);
      threads.forEach(Thread::interrupt);
    }
  }

  /** One 10 s file after another in real time, each a new PutMedia, producer time continuing. */
  private void produce(ServerJvm server, String stream, byte[] media) {
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    PutMediaClient client = new PutMediaClient(server.baseUrl, ServerJvm.credentials(),
        "us-east-1");
    int piece = 4 * 1024;
    long pauseMs = TestMedia.DURATION_SECONDS * 1000L / ((media.length + piece - 1) / piece);
    while (!stop.get()) {
      PutMediaClient.Response r = client.put(PutMediaClient.Target.relative(stream, producerStart),
          PutMediaClient.Signing.EMPTY_PAYLOAD_HASH, new GetMediaTest.PacedInputStream(
              new ByteArrayInputStream(media), piece, pauseMs), Streams.UPLOAD_TIMEOUT);
      if (stop.get()) {
        return;
      }
      if (r.status() != 200 || !r.acks("ERROR").isEmpty()) {
        errors.add(stream + " PutMedia " + r.status() + " " + r.acks("ERROR"));
      }
      fragmentsPersisted.addAndGet(r.acks("PERSISTED").size());
      producerStart = producerStart.plusSeconds(TestMedia.DURATION_SECONDS);
    }
  }

  private void clips(KinesisVideoArchivedMediaClient archived) throws InterruptedException {
    int i = 0;
    while (!stop.get()) {
      Thread.sleep(READER_PERIOD_MS);
      String stream = "soak-" + (i++ % STREAMS);
      Instant now = Instant.now();
      try (InputStream clip = archived.getClip(r -> r.streamName(stream).clipFragmentSelector(s -> s
          .fragmentSelectorType(ClipFragmentSelectorType.SERVER_TIMESTAMP)
          .timestampRange(t -> t.startTimestamp(now.minusSeconds(20)).endTimestamp(now))))) {
        clip.transferTo(OutputStreamSink.INSTANCE);
        clipsServed.incrementAndGet();
      } catch (Exception e) {
        if (!stop.get()) {
          errors.add("GetClip " + e);
        }
      }
    }
  }

  /** A LIVE HLS session per round: master playlist, media playlist, its newest segment. */
  private void hls(KinesisVideoArchivedMediaClient archived) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    int i = 0;
    while (!stop.get()) {
      Thread.sleep(READER_PERIOD_MS);
      String stream = "soak-" + (i++ % STREAMS);
      try {
        URI master = URI.create(archived.getHLSStreamingSessionURL(r -> r.streamName(stream)
            .playbackMode(HLSPlaybackMode.LIVE)).hlsStreamingSessionURL());
        URI playlist = master.resolve(lastUri(get(http, master)));
        URI segment = playlist.resolve(lastUri(get(http, playlist)));
        hlsSegments.incrementAndGet();
        get(http, segment);
      } catch (Exception e) {
        if (!stop.get()) {
          errors.add("HLS " + e);
        }
      }
    }
  }

  private void followGetMedia(KinesisVideoMediaClient media, String stream) {
    byte[] buf = new byte[64 * 1024];
    while (!stop.get()) {
      try (ResponseInputStream<GetMediaResponse> in = media.getMedia(r -> r.streamName(stream)
          .startSelector(s -> s.startSelectorType(StartSelectorType.NOW)))) {
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int n;
        while (!stop.get() && System.nanoTime() < until && (n = in.read(buf)) >= 0) {
          getMediaBytes.addAndGet(n);
        }
        in.abort();
      } catch (Exception e) {
        if (!stop.get()) {
          Streams.sleep(1_000); // the stream may not exist yet or be between uploads
        }
      }
    }
  }

  private static String get(HttpClient http, URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.ISO_8859_1));
    if (r.statusCode() != 200) {
      throw new IOException(uri.getPath() + " answered " + r.statusCode());
    }
    return r.body();
  }

  private static String lastUri(String playlist) throws IOException {
    String last = null;
    for (String line : playlist.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        last = line.trim();
      }
    }
    if (last == null) {
      throw new IOException("playlist lists nothing");
    }
    return last;
  }

  private void background(String name, ThrowingRunnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        // stopping
      } catch (Exception e) {
        if (!stop.get()) {
          errors.add(name + " " + e);
        }
      }
    }, "soak-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Discards what is written. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }

}
