package io.framekeep.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context, rebuilt when its certificate or key file changes. Every
 * {@link TlsOptions#reloadInterval} a daemon thread reads both files and, when their bytes differ
 * from those in use, parses them, checks that the key belongs to the certificate and swaps the
 * context: connections accepted afterwards get the new certificate, connections already open keep
 * theirs. Files that fail to load (a renewal caught between writing the certificate and the key,
 * a typo) are logged and the previous certificate stays in use; the next change is tried again.
 * Thread-safe; {@link #close} stops the polling.
 */
public final class ReloadingSslContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);
  /** TLS 1.2 for older clients (the producer SDK's libcurl builds), 1.3 for everyone else. */
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final TlsFiles files;
  private final SslProvider provider;
  private final ScheduledExecutorService poller;
  private volatile Loaded current;
  /** The last load failure logged, so that files left broken are reported once, not every poll. */
  private String lastFailure;

  private record Loaded(byte[][] contents, SslContext context, X509Certificate leaf) {}

  private ReloadingSslContext(TlsFiles files, SslProvider provider, Loaded first,
      TlsOptions options) {
    this.files = files;
    this.provider = provider;
    this.current = first;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "framekeep-tls-reload");
      t.setDaemon(true);
      return t;
    });
    long intervalMs = options.reloadInterval().toMillis();
    poller.scheduleWithFixedDelay(this::reloadIfChanged, intervalMs, intervalMs,
        TimeUnit.MILLISECONDS);
  }

  /** Loads {@code files} (failing when they do not load) and starts watching them. */
  public static ReloadingSslContext open(TlsFiles files, TlsOptions options)
      throws IOException, GeneralSecurityException {
    SslProvider provider = TlsProviders.choose(options.provider());
    Loaded first = load(files, provider, files.contents());
    LOG.info("TLS certificate {} (serial {}, expires {}) from {}",
        first.leaf().getSubjectX500Principal(), first.leaf().getSerialNumber().toString(16),
        first.leaf().getNotAfter().toInstant(), files.certFile());
    return new ReloadingSslContext(files, provider, first, options);
  }

  /** A handler for a newly accepted connection, with the certificate in use now. */
  public SslHandler newHandler(ByteBufAllocator alloc) {
    return current.context().newHandler(alloc);
  }

  /** The leaf certificate new connections get. */
  public X509Certificate certificate() {
    return current.leaf();
  }

  /** The implementation in use: OPENSSL (BoringSSL) or JDK. */
  public SslProvider provider() {
    return provider;
  }

  /** Checks the files now (the poller calls this); true when a new certificate was loaded. */
  public synchronized boolean reloadIfChanged() {
    try {
      byte[][] contents = files.contents();
      if (Arrays.equals(contents[0], current.contents()[0])
          && Arrays.equals(contents[1], current.contents()[1])) {
        return false;
      }
      Loaded next = load(files, provider, contents);
      X509Certificate old = current.leaf();
      current = next;
      lastFailure = null;
      LOG.info("TLS certificate reloaded: serial {} -> {} (expires {})",
          old.getSerialNumber().toString(16), next.leaf().getSerialNumber().toString(16),
          next.leaf().getNotAfter().toInstant());
      return true;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      String failure = String.valueOf(e.getMessage());
      if (!failure.equals(lastFailure)) {
        LOG.warn("TLS certificate files changed but do not load; still serving serial {}: {}",
            current.leaf().getSerialNumber().toString(16), failure);
        lastFailure = failure;
      }
      return false;
    }
  }

  private static Loaded load(TlsFiles files, SslProvider provider, byte[][] contents)
      throws GeneralSecurityException {
    PemCredentials credentials = PemCredentials.parse(contents[0], contents[1]);
    try {
      SslContext context = SslContextBuilder
          .forServer(credentials.key(), credentials.chain().toArray(new X509Certificate[0]))
          .sslProvider(provider)
          .protocols(PROTOCOLS)
          .build();
      return new Loaded(contents, context, credentials.chain().get(0));
    } catch (SSLException e) {
      throw new GeneralSecurityException("the TLS context cannot be built from " + files.certFile()
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
