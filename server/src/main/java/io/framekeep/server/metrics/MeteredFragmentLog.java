package io.framekeep.server.metrics;

import io.framekeep.storage.ForwardingFragmentAppender;
import io.framekeep.storage.ForwardingFragmentLog;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FragmentLog} decorator for the ingest path that meters it: bytes received
 * ({@code framekeep.ingest.bytes}), fragments made durable and failed
 * ({@code framekeep.fragments.persisted}, {@code framekeep.fragments.failed}), the time from a
 * fragment's seal to its durability ({@code framekeep.fragments.durability}, a histogram: the
 * PERSISTED ack's wait), and the uploads open ({@code framekeep.ingest.sessions}). Reads pass
 * through. Thread-safe as the wrapped log.
 */
public final class MeteredFragmentLog extends ForwardingFragmentLog {
  private final Counter bytes;
  private final Counter persisted;
  private final Counter failed;
  private final Timer durability;
  private final AtomicInteger sessions = new AtomicInteger();

  public MeteredFragmentLog(FragmentLog delegate, MeterRegistry registry) {
    super(delegate);
    this.bytes = Counter.builder("framekeep.ingest.bytes").baseUnit("bytes")
        .description("Fragment bytes received by PutMedia").register(registry);
    this.persisted = Counter.builder("framekeep.fragments.persisted")
        .description("Fragments made durable (acked PERSISTED)").register(registry);
    this.failed = Counter.builder("framekeep.fragments.failed")
        .description("Fragments that could not be made durable").register(registry);
    this.durability = Timer.builder("framekeep.fragments.durability")
        .description("From a fragment's last byte to its durability (fsync and index commit)")
        .publishPercentileHistogram().register(registry);
    Gauge.builder("framekeep.ingest.sessions", sessions, AtomicInteger::get)
        .description("PutMedia uploads open").register(registry);
  }

  @Override
  public FragmentAppender openAppender(long streamId) throws IOException {
    FragmentAppender appender = delegate().openAppender(streamId);
    sessions.incrementAndGet();
    return new MeteredAppender(appender);
  }

  /** Meters one upload's appender; one thread at a time, as the wrapped appender. */
  private final class MeteredAppender extends ForwardingFragmentAppender {
    private boolean closed;

    MeteredAppender(FragmentAppender appender) {
      super(appender);
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
      int length = buffer.remaining();
      delegate().write(buffer);
      bytes.increment(length);
    }

    @Override
    public CompletableFuture<FragmentRecord> commitAsync(FragmentMetadata metadata)
        throws IOException {
      long sealedNs = System.nanoTime();
      // The caller gets the metering stage, so a fragment is counted before its ack can be sent.
      return delegate().commitAsync(metadata).whenComplete((record, failure) -> {
        if (failure == null) {
          persisted.increment();
          durability.record(System.nanoTime() - sealedNs, TimeUnit.NANOSECONDS);
        } else {
          failed.increment();
        }
      });
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        sessions.decrementAndGet();
      }
      delegate().close();
    }
  }
}
