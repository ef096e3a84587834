package io.framekeep.server;

import io.framekeep.server.auth.Authorizer;
import io.framekeep.server.auth.Credential;
import io.framekeep.server.auth.CredentialsFile;
import io.framekeep.server.auth.Permissions;
import io.framekeep.server.auth.SigV4Authenticator;
import io.framekeep.server.http.AcceptTimes;
import io.framekeep.server.http.Authenticator;
import io.framekeep.server.http.ConnectionCap;
import io.framekeep.server.console.ConsoleAssetHandler;
import io.framekeep.server.console.ConsoleAssets;
import io.framekeep.server.http.CorsHandler;
import io.framekeep.server.http.DateHeaders;
import io.framekeep.server.http.ExchangeTimeouts;
import io.framekeep.server.http.FirstRequestSignal;
import io.framekeep.server.http.HttpRouter;
import io.framekeep.server.http.OneExchangeAtATime;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.StreamingOperation;
import io.framekeep.server.ingest.FragmentEvents;
import io.framekeep.server.ingest.PutMediaOperation;
import io.framekeep.server.memory.JsonBodyBudget;
import io.framekeep.server.memory.MemoryBudget;
import io.framekeep.server.metrics.MeteredFragmentLog;
import io.framekeep.server.metrics.ServerMetrics;
import io.framekeep.server.playback.Playback;
import io.framekeep.server.retention.RetentionService;
import io.framekeep.server.tls.ListenerBaseUrl;
import io.framekeep.server.tls.ReloadingSslContext;
import io.framekeep.server.tls.SelfSignedCertificates;
import io.framekeep.server.tls.TlsFiles;
import io.framekeep.server.tls.TlsOptions;
import io.framekeep.server.tls.TlsPipeline;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.Storage;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Framekeep server: one listener serving the control plane, the data plane and PutMedia, over
 * HTTP or HTTPS, and optionally a second HTTPS listener beside a plain one ({@link TlsOptions}).
 * {@link #start} returns once it is listening; {@link #close} stops accepting, lets in-flight
 * storage work (PERSISTED commits) finish, and closes the storage. Thread-safe.
 */
public final class FramekeepServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FramekeepServer.class);
  /** HTTP request line limit: every path here is short; longer is an attack or a mistake. */
  private static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
  /** Header block limit: SigV4 headers plus session tokens fit in a few KB. */
  private static final int MAX_HEADER_BYTES = 32 * 1024;
  /** Largest body piece handed to a handler at once: bounds per-read buffers of PutMedia. */
  private static final int MAX_CHUNK_BYTES = 256 * 1024;
  /** Thread name prefixes of the event loops: the one accepting, and those serving connections. */
  public static final String ACCEPT_THREAD_NAME = "framekeep-accept";
  public static final String IO_THREAD_NAME = "framekeep-io";
  /**
   * Worker threads for blocking work (SQLite, fsync, file reads). They mostly wait on the disk:
   * each PutMedia session holds one during its fragment's fdatasync, so with many concurrent
   * uploads a small pool queues fsyncs behind each other and PERSISTED latency grows with the
   * queue. 64 lets that many fsyncs be in flight at once; idle threads time out.
   */
  private static final int BLOCKING_THREADS_MIN = 64;
  private static final int BLOCKING_THREADS_PER_CORE = 16;
  /** How long close() waits for in-flight commits before giving up. */
  private static final long SHUTDOWN_WAIT_SECONDS = 20;

  private final ServerConfig config;
  private final Storage storage;
  private final RetentionService retention;
  private final ExecutorService blockingPool;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel listener;
  /** The HTTPS listener beside plain HTTP, or null (no TLS, or TLS on the main listener). */
  private final Channel tlsListener;
  /** The TLS context of whichever listener speaks HTTPS, or null without TLS. */
  private final ReloadingSslContext tls;
  private volatile String tlsBaseUrl;
  private final AutoCloseable remoteCommits;
  private final Credential credential;
  private final ServerMetrics metrics = new ServerMetrics();
  /** Shared by every listener: the cap counts connections of all of them together. */
  private final ConnectionCap connectionCap;
  private final DateHeaders dateHeaders;
  /** The web console's built files, served at / and /console/. */
  private final ConsoleAssets consoleAssets;
  /** What client connections may make the server hold, all together (see ServiceLimits). */
  private final MemoryBudget memoryBudget;
  /** What GET /health answers, checked in the background. */
  private final HealthProbe healthProbe;
  private final JsonBodyBudget jsonBodyBudget;
  /** Raised by the first request other than GET /health on any listener. */
  private final FirstRequestSignal firstRequest = new FirstRequestSignal();
  private volatile String baseUrl;

  /**
   * @param threadNamePrefix names the server's I/O and worker threads ({@code PREFIX-io-N},
   *     {@code PREFIX-worker-N}); null keeps Netty's default names and {@code framekeep-worker-N}
   */
  private FramekeepServer(ServerConfig config, StorageBackend backend,
      UnaryOperator<FragmentLog> ingestLog, String threadNamePrefix)
      throws IOException, InterruptedException {
    this.config = config;
    this.storage = backend.open(config);
    metrics.bindStorage(storage);
    this.healthProbe = new HealthProbe(storage::health);
    this.retention = new RetentionService(storage.catalog(), storage.fragments(), config.clock());
    this.credential = resolveCredential(config);
    this.blockingPool = newBlockingPool(
        threadNamePrefix == null ? "framekeep-worker-" : threadNamePrefix + "-worker-");
    this.memoryBudget = new MemoryBudget(config.limits().memoryBudgetBytes());
    this.jsonBodyBudget = new JsonBodyBudget(memoryBudget);
    // Named so that their scheduling can be told apart from the workers' (top -H, /proc), and a
    // scratch server's from the real one's.
    this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(
        threadNamePrefix == null ? ACCEPT_THREAD_NAME : threadNamePrefix + "-accept"),
        NioIoHandler.newFactory());
    this.workerGroup = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory(
        threadNamePrefix == null ? IO_THREAD_NAME : threadNamePrefix + "-io"),
        NioIoHandler.newFactory());
    Permissions permissions = credential == null ? null
        : config.permissionsFile() == null ? Permissions.ownerOnly(credential)
        : Permissions.load(config.permissionsFile(), credential);
    Authenticator authenticator = permissions == null
        ? SigV4Authenticator.anonymous(config.region())
        : SigV4Authenticator.of(permissions, config.clock());
    Authorizer authorizer = permissions == null
        ? Authorizer.allowAll() : Authorizer.of(permissions);
    StreamResolver resolver = new StreamResolver(storage.catalog());
    FragmentEvents events = new FragmentEvents();
    this.remoteCommits = storage.onRemoteCommits((streamId, lastSequence) ->
        wakeReaders(events, streamId, lastSequence));
    PutMediaOperation putMedia = new PutMediaOperation(authenticator, authorizer, resolver,
        new MeteredFragmentLog(ingestLog.apply(storage.fragments()), metrics.registry()), events,
        blockingPool, config.limits(), config.clock(), memoryBudget);
    Map<String, StreamingOperation> streaming = Map.of("/putMedia", putMedia);
    this.tls = config.tls() == null ? null : openTls(config);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(NioServerSocketChannel.class)
        .handler(new AcceptTimes())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true);
    // GetDataEndpoint and session URLs answer with the URL of the listener the request came in
    // on, known only once its port is bound.
    Map<String, Operation> operations =
        Operations.build(storage, resolver, events, authorizer, config,
            ListenerBaseUrl.supplier(this::baseUrl), blockingPool, metrics,
            storage.sharedSecret(Playback.SESSION_KEY_NAME, Playback.SESSION_KEY_BYTES));
    this.connectionCap = new ConnectionCap(config.connections().maxConnections());
    this.dateHeaders = new DateHeaders(config.clock());
    this.consoleAssets = ConsoleAssets.fromClasspath();
    boolean mainIsTls = tls != null && !config.tls().separatePort();
    this.listener = bootstrap.clone()
        .childHandler(channelInitializer(operations, streaming, authenticator,
            ListenerBaseUrl.executor(blockingPool, this::baseUrl), mainIsTls ? tls : null))
        .bind(config.host(), config.port()).sync().channel();
    String mainScheme = mainIsTls ? "https://" : "http://";
    this.baseUrl = config.publicUrl() != null
        ? stripSlash(config.publicUrl())
        : mainScheme + hostForUrl(config.host()) + ":" + port();
    if (tls != null && config.tls().separatePort()) {
      this.tlsListener = bootstrap.clone()
          .childHandler(channelInitializer(operations, streaming, authenticator,
              ListenerBaseUrl.executor(blockingPool, this::tlsBaseUrl), tls))
          .bind(config.host(), config.tls().port()).sync().channel();
      this.tlsBaseUrl = "https://" + hostForUrl(config.host()) + ":"
          + ((InetSocketAddress) tlsListener.localAddress()).getPort();
    } else {
      this.tlsListener = null;
      this.tlsBaseUrl = mainIsTls ? baseUrl : null;
    }
  }

  /** The pipeline of one accepted connection; {@code tls} null for plain HTTP. */
  private ChannelInitializer<SocketChannel> channelInitializer(Map<String, Operation> operations,
      Map<String, StreamingOperation> streaming, Authenticator authenticator,
      Executor operationExecutor, ReloadingSslContext tls) {
    return new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(
            connectionCap,
            new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES));
        if (!firstRequest.isRaised()) {
          ch.pipeline().addLast(firstRequest);
        }
        ch.pipeline().addLast(
            dateHeaders,
            new OneExchangeAtATime(),
            new ExchangeTimeouts(config.connections(),
                head -> streaming.containsKey(HttpRouter.pathOf(head.uri()))),
            new HttpServerExpectContinueHandler(),
            new CorsHandler(),
            new ConsoleAssetHandler(consoleAssets),
            new HttpRouter(operations, streaming, authenticator, operationExecutor,
                config.limits().maxJsonBodyBytes(),
                config.connections().maxUnauthenticatedJsonBodyBytes(), healthProbe::current,
                jsonBodyBudget));
        addTls(ch, tls);
      }
    };
  }

  /** On an HTTPS listener, puts TLS in front of the HTTP handlers. */
  private static void addTls(SocketChannel ch, ReloadingSslContext tls) {
    if (tls != null) {
      TlsPipeline.addFirst(ch.pipeline(), tls);
    }
  }

  /** The operator's PEM files or the self-signed pair, loaded and watched for changes. */
  private static ReloadingSslContext openTls(ServerConfig config) throws IOException {
    TlsOptions options = config.tls();
    TlsFiles files = options.selfSigned()
        ? SelfSignedCertificates.ensure(config.dataDir(), config.clock())
        : new TlsFiles(options.certFile(), options.keyFile());
    try {
      return ReloadingSslContext.open(files, options);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS certificate " + files.certFile() + " / key " + files.keyFile()
          + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** Opens the embedded storage (running recovery), binds the port and starts serving. */
  public static FramekeepServer start(ServerConfig config) throws IOException, InterruptedException {
    return start(config, StorageBackend.EMBEDDED);
  }

  /**
   * {@link #start(ServerConfig)} on the given storage backend.
   *
   * @throws IOException if the backend cannot be opened (its message says why)
   */
  public static FramekeepServer start(ServerConfig config, StorageBackend backend)
      throws IOException, InterruptedException {
    return start(config, backend, UnaryOperator.identity());
  }

  /**
   * {@link #start(ServerConfig)} with PutMedia writing through {@code ingestLog} applied to the
   * storage's fragment log: a decorator such as fault injection
   * ({@code io.framekeep.storage.faults}); reads use the storage's log directly.
   */
  public static FramekeepServer start(ServerConfig config, UnaryOperator<FragmentLog> ingestLog)
      throws IOException, InterruptedException {
    return start(config, StorageBackend.EMBEDDED, ingestLog);
  }

  /**
   * {@link #start(ServerConfig)} for a second server in a JVM that runs one already (the start-up
   * warm-up's scratch server): its I/O and worker threads are named {@code threadNamePrefix-io-N},
   * {@code -accept-N} and {@code -worker-N}, so that its log lines can be told apart (and
   * filtered) by thread name. Storage and background threads keep their names.
   */
  public static FramekeepServer startWithThreadNames(ServerConfig config,
      String threadNamePrefix) throws IOException, InterruptedException {
    return start(config, StorageBackend.EMBEDDED, UnaryOperator.identity(),
        java.util.Objects.requireNonNull(threadNamePrefix, "threadNamePrefix"));
  }

  private static FramekeepServer start(ServerConfig config, StorageBackend backend,
      UnaryOperator<FragmentLog> ingestLog) throws IOException, InterruptedException {
    return start(config, backend, ingestLog, null);
  }

  private static FramekeepServer start(ServerConfig config, StorageBackend backend,
      UnaryOperator<FragmentLog> ingestLog, String threadNamePrefix)
      throws IOException, InterruptedException {
    FramekeepServer server = new FramekeepServer(config, backend, ingestLog, threadNamePrefix);
    if (server.tls == null || server.config.tls().separatePort()) {
      HealthWarmUp.run(server.config.host(), server.port(), server.connectionCap::openConnections);
    }
    server.retention.start();
    String urls = server.tlsListener == null ? server.baseUrl
        : server.baseUrl + " and " + server.tlsBaseUrl;
    if (backend == StorageBackend.EMBEDDED) {
      LOG.info("serving {} from {}", urls, config.dataDir().toAbsolutePath());
    } else {
      LOG.info("serving {} on {} storage", urls, backend.flagValue());
    }
    return server;
  }

  /** Another node committed to a stream: wake the live readers here, on a worker thread. */
  private void wakeReaders(FragmentEvents events, long streamId, long lastSequence) {
    try {
      blockingPool.execute(() -> {
        try {
          events.committedElsewhere(streamId, lastSequence, storage.fragments());
        } catch (RuntimeException e) {
          LOG.warn("stream {}: readers not woken for fragment {}: {}", streamId, lastSequence,
              e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down: the readers are ending anyway
    }
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * The base URL of the main listener (the {@code --port} one; {@code https://} when it speaks
   * TLS), returned by GetDataEndpoint to clients that came in on it.
   */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * True once any listener has received a request other than {@code GET /health}: clients have
   * arrived. Start-up work that would compete with them (the warm-up) stops when it sees this.
   */
  public boolean hasServedRequests() {
    return firstRequest.isRaised();
  }

  /** The separate HTTPS listener's port, or -1 when there is none. */
  public int tlsPort() {
    return tlsListener == null ? -1 : ((InetSocketAddress) tlsListener.localAddress()).getPort();
  }

  /** The HTTPS base URL (the main one or the separate TLS port's), or null without TLS. */
  public String tlsBaseUrl() {
    return tlsBaseUrl;
  }

  /** The TLS context in use, or null without TLS. */
  public ReloadingSslContext tls() {
    return tls;
  }

  /** The accepted credential, or null when signatures are not checked. */
  public Credential credential() {
    return credential;
  }

  /**
   * The budget every connection's buffered bytes draw from (ingest charges its bodies, headers,
   * frame tables and unsent acks); other request paths may charge it too.
   */
  public MemoryBudget memoryBudget() {
    return memoryBudget;
  }

  /** The JSON bodies' draw on {@link #memoryBudget()} (for tests and metrics). */
  public JsonBodyBudget jsonBodyBudget() {
    return jsonBodyBudget;
  }

  public ServerConfig config() {
    return config;
  }

  /** The retention sweeper; {@link RetentionService#sweepNow} runs a sweep on demand. */
  public RetentionService retention() {
    return retention;
  }

  @Override
  public void close() throws IOException {
    listener.close().syncUninterruptibly();
    if (tlsListener != null) {
      tlsListener.close().syncUninterruptibly();
    }
    if (tls != null) {
      tls.close();
    }
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    blockingPool.shutdown();
    try {
      if (!blockingPool.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("in-flight work did not finish within {} s", SHUTDOWN_WAIT_SECONDS);
        blockingPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    retention.close();
    try {
      healthProbe.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      remoteCommits.close();
    } catch (Exception e) {
      LOG.warn("stopping commit notifications failed: {}", e.toString());
    }
    storage.close();
    metrics.close();
    LOG.info("stopped");
  }

  private static Credential resolveCredential(ServerConfig config) throws IOException {
    if (config.noAuth()) {
      return null;
    }
    if (config.accessKeyId() != null) {
      return new Credential(config.accessKeyId(), config.secretAccessKey());
    }
    return CredentialsFile.loadOrCreate(config.dataDir());
  }

  private static ExecutorService newBlockingPool(String threadNamePrefix) {
    int threads = Math.max(BLOCKING_THREADS_MIN,
        Runtime.getRuntime().availableProcessors() * BLOCKING_THREADS_PER_CORE);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, threadNamePrefix + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static String hostForUrl(String host) {
    if (host.equals("0.0.0.0") || host.equals("::")) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
