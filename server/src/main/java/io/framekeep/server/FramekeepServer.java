package io.framekeep.server;

import io.framekeep.server.auth.Authorizer;
import io.framekeep.server.auth.Credential;
import io.framekeep.server.auth.CredentialsFile;
import io.framekeep.server.auth.Permissions;
import io.framekeep.server.auth.SigV4Authenticator;
import io.framekeep.server.http.Authenticator;
import io.framekeep.server.http.ConnectionCap;
import io.framekeep.server.http.CorsHandler;
import io.framekeep.server.http.DateHeaders;
import io.framekeep.server.http.ExchangeTimeouts;
import io.framekeep.server.http.HttpRouter;
import io.framekeep.server.http.OneExchangeAtATime;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.StreamingOperation;
import io.framekeep.server.ingest.FragmentEvents;
import io.framekeep.server.ingest.IngestWarmUp;
import io.framekeep.server.ingest.PutMediaOperation;
import io.framekeep.server.metrics.MeteredFragmentLog;
import io.framekeep.server.metrics.ServerMetrics;
import io.framekeep.server.retention.RetentionService;
import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.FragmentLog;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Framekeep server: one listener serving the control plane, the data plane and PutMedia.
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
  private final EmbeddedStorage storage;
  private final RetentionService retention;
  private final ExecutorService blockingPool;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel listener;
  private final Credential credential;
  private final ServerMetrics metrics = new ServerMetrics();
  private volatile String baseUrl;

  private FramekeepServer(ServerConfig config, UnaryOperator<FragmentLog> ingestLog)
      throws IOException, InterruptedException {
    this.config = config;
    this.storage = EmbeddedStorage.open(config.dataDir(), config.clock(), config.storage());
    this.retention = new RetentionService(storage.catalog(), storage.fragments(), config.clock());
    this.credential = resolveCredential(config);
    this.blockingPool = newBlockingPool();
    this.bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
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
    PutMediaOperation putMedia = new PutMediaOperation(authenticator, authorizer, resolver,
        new MeteredFragmentLog(ingestLog.apply(storage.fragments()), metrics.registry()), events,
        blockingPool, config.limits(), config.clock());
    Map<String, StreamingOperation> streaming = Map.of("/putMedia", putMedia);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true);
    // GetDataEndpoint answers with the base URL, known only once the port is bound.
    Map<String, Operation> operations =
        Operations.build(storage, resolver, events, authorizer, config, this::baseUrl,
            blockingPool, metrics);
    ConnectionCap connectionCap = new ConnectionCap(config.connections().maxConnections());
    DateHeaders dateHeaders = new DateHeaders(config.clock());
    bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(
            connectionCap,
            new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES),
            dateHeaders,
            new OneExchangeAtATime(),
            new ExchangeTimeouts(config.connections(),
                head -> streaming.containsKey(HttpRouter.pathOf(head.uri()))),
            new HttpServerExpectContinueHandler(),
            new CorsHandler(),
            new HttpRouter(operations, streaming, authenticator, blockingPool,
                config.limits().maxJsonBodyBytes(),
                config.connections().maxUnauthenticatedJsonBodyBytes()));
      }
    });
    this.listener = bootstrap.bind(config.host(), config.port()).sync().channel();
    int port = ((InetSocketAddress) listener.localAddress()).getPort();
    this.baseUrl = config.publicUrl() != null
        ? stripSlash(config.publicUrl())
        : "http://" + hostForUrl(config.host()) + ":" + port;
  }

  /** Opens the storage (running recovery), binds the port and starts serving. */
  public static FramekeepServer start(ServerConfig config) throws IOException, InterruptedException {
    return start(config, UnaryOperator.identity());
  }

  /**
   * {@link #start(ServerConfig)} with PutMedia writing through {@code ingestLog} applied to the
   * storage's fragment log: a decorator such as fault injection
   * ({@code io.framekeep.storage.faults}); reads use the storage's log directly.
   */
  public static FramekeepServer start(ServerConfig config, UnaryOperator<FragmentLog> ingestLog)
      throws IOException, InterruptedException {
    FramekeepServer server = new FramekeepServer(config, ingestLog);
    server.retention.start();
    IngestWarmUp.startInBackground();
    LOG.info("serving {} from {}", server.baseUrl, config.dataDir().toAbsolutePath());
    return server;
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The base URL clients use, and that GetDataEndpoint returns. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The accepted credential, or null when signatures are not checked. */
  public Credential credential() {
    return credential;
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

  private static ExecutorService newBlockingPool() {
    int threads = Math.max(BLOCKING_THREADS_MIN,
        Runtime.getRuntime().availableProcessors() * BLOCKING_THREADS_PER_CORE);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "framekeep-worker-" + n.incrementAndGet());
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
