package io.framekeep.server.metrics;

import io.framekeep.storage.Storage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.LongSupplier;

/**
 * The server's meters, exposed in the Prometheus text format at {@code GET /metrics}: requests per
 * AWS operation and outcome ({@link MeteredOperation}), ingest ({@link MeteredFragmentLog}), the
 * storage backend's counters ({@link #bindStorage}: cluster object GETs and cache), and
 * the JVM and process (memory, GC, threads, CPU, open files, uptime). Names follow Micrometer's
 * conventions and appear with Prometheus suffixes, e.g. {@code framekeep_requests_seconds_count}.
 * Thread-safe.
 */
public final class ServerMetrics implements AutoCloseable {
  /** The content type of the Prometheus text exposition format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final java.util.List<Storage.Counter> storageCounters =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Exports the storage backend's own counters ({@link Storage#counters()}). */
  public void bindStorage(Storage storage) {
    for (Storage.Counter c : storage.counters()) {
      // A function counter holds its object weakly; this list keeps the suppliers alive.
      storageCounters.add(c);
      FunctionCounter.builder(c.name(), c.count(), LongSupplier::getAsLong)
          .description(c.description()).register(registry);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter, in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
