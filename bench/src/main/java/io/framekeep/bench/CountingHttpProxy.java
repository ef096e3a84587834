package io.framekeep.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reverse proxy on a loopback port that relays HTTP/1.1 to one target (S3Proxy) unchanged and counts
 * every exchange exactly: requests per method, request payload bytes per method (the object bytes of a PUT,
 * without the chunk signatures of an aws-chunked body), response body bytes per
 * request method, responses with a status of 300 or more, and each exchange's duration. The benchmarks put it in front of the object
 * store so that PUTs and GETs per second are counted rather than inferred.
 *
 * <p>Each client connection gets its own connection to the target and two threads: one relays requests
 * (and notes each method), the other relays responses, pairing each with the oldest unanswered request
 * (HTTP/1.1 answers in order). A {@code 100 Continue} interim response is relayed without being counted.
 * Signatures stay valid since nothing is rewritten (the Host header keeps the proxy's address, which the
 * client signed).
 *
 * <p>Thread-safe: {@link #counts()} may be read while traffic flows.
 */
final class CountingHttpProxy implements AutoCloseable {
  /** Counts at one moment; subtract two with {@link #minus} for a run's figures. */
  record Counts(Map<String, Long> requests, Map<String, Long> requestBodyBytes, Map<String, Long> responseBodyBytes,
      long errorResponses, Map<String, double[]> durationsMs) {
    long requests(String method) {
      return requests.getOrDefault(method, 0L);
    }

    long requestBodyBytes(String method) {
      return requestBodyBytes.getOrDefault(method, 0L);
    }

    long responseBodyBytes(String method) {
      return responseBodyBytes.getOrDefault(method, 0L);
    }

    /**
     * Milliseconds from each exchange's request line reaching the proxy until its response's last byte was
     * relayed, in order of completion; empty when there were none.
     */
    double[] durationsMs(String method) {
      return durationsMs.getOrDefault(method, new double[0]);
    }

    Counts minus(Counts earlier) {
      Map<String, double[]> later = new TreeMap<>();
      durationsMs.forEach((k, v) -> {
        int before = earlier.durationsMs(k).length;
        later.put(k, java.util.Arrays.copyOfRange(v, before, v.length));
      });
      return new Counts(diff(requests, earlier.requests), diff(requestBodyBytes, earlier.requestBodyBytes),
          diff(responseBodyBytes, earlier.responseBodyBytes), errorResponses - earlier.errorResponses, later);
    }

    private static Map<String, Long> diff(Map<String, Long> now, Map<String, Long> before) {
      Map<String, Long> d = new TreeMap<>();
      now.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
      return d;
    }
  }

  /** A request relayed and not yet answered: its method and when its request line arrived. */
  private record Pending(String method, long startNanos) {}

  /** Marks the end of a connection's requests in its queue of unanswered requests. */
  private static final Pending END = new Pending("", 0);

  private final ServerSocket listener;
  private final int targetPort;
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> requestBytes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> responseBytes = new ConcurrentHashMap<>();
  private final AtomicLong errorResponses = new AtomicLong();
  /** Per method, the duration of every exchange so far (append-only, guarded by itself). */
  private final Map<String, List<Double>> durations = new ConcurrentHashMap<>();
  /** Relay failures (a connection broken mid-message); a run with any is reported as not exactly counted. */
  private final AtomicLong relayFailures = new AtomicLong();

  /** Listens on a free loopback port and relays to 127.0.0.1:{@code targetPort}. */
  CountingHttpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "counting-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** {@code http://127.0.0.1:port}. */
  String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  Counts counts() {
    Map<String, double[]> durationsCopy = new TreeMap<>();
    durations.forEach((k, v) -> {
      synchronized (v) {
        durationsCopy.put(k, v.stream().mapToDouble(Double::doubleValue).toArray());
      }
    });
    return new Counts(snapshot(requests), snapshot(requestBytes), snapshot(responseBytes), errorResponses.get(),
        durationsCopy);
  }

  /** Connections that broke in the middle of a message (the counts may then miss that exchange). */
  long relayFailures() {
    return relayFailures.get();
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> counters) {
    Map<String, Long> copy = new TreeMap<>();
    counters.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket target = new Socket();
        target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        client.setTcpNoDelay(true);
        target.setTcpNoDelay(true);
        BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
        start("counting-proxy-requests", () -> relayRequests(client, target, pending));
        start("counting-proxy-responses", () -> relayResponses(target, client, pending));
      } catch (IOException e) {
        if (!listener.isClosed()) {
          relayFailures.incrementAndGet();
        }
      }
    }
  }

  private static void start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private void relayRequests(Socket client, Socket target, BlockingQueue<Pending> pending) {
    boolean inMessage = false;
    try (client; target) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(target.getOutputStream());
      HttpMessageRelay relay = new HttpMessageRelay(in, out);
      for (String start = relay.startLine(); start != null; start = relay.startLine()) {
        inMessage = true;
        String method = new HttpMessageRelay.Message(start, 0, 0).method();
        pending.add(new Pending(method, System.nanoTime()));
        HttpMessageRelay.Message m = relay.rest(start, false, false);
        add(requests, method, 1);
        add(requestBytes, method, m.payloadBytes());
        inMessage = false;
      }
    } catch (IOException | RuntimeException e) {
      // Between messages this is the other direction closing the connection, not a lost exchange.
      if (inMessage) {
        relayFailures.incrementAndGet();
      }
    } finally {
      pending.add(END);
    }
  }

  private void relayResponses(Socket target, Socket client, BlockingQueue<Pending> pending) {
    boolean inMessage = false;
    try (client; target) {
      InputStream in = new BufferedInputStream(target.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      HttpMessageRelay relay = new HttpMessageRelay(in, out);
      for (String start = relay.startLine(); start != null; start = relay.startLine()) {
        inMessage = true;
        int status = new HttpMessageRelay.Message(start, 0, 0).status();
        if (status >= 100 && status < 200) {
          relay.rest(start, true, false);
          continue;
        }
        Pending request = pending.take();
        if (request == END) {
          throw new IOException("a response without a request");
        }
        String method = request.method();
        boolean bodyless = method.equals("HEAD") || status == 204 || status == 304;
        HttpMessageRelay.Message m = relay.rest(start, bodyless, true);
        add(responseBytes, method, m.bodyBytes());
        List<Double> times = durations.computeIfAbsent(method, k -> new ArrayList<>());
        synchronized (times) {
          times.add((System.nanoTime() - request.startNanos()) / 1e6);
        }
        if (status >= 300) {
          errorResponses.incrementAndGet();
        }
        inMessage = false;
      }
      if (!pending.isEmpty() && pending.peek() != END) {
        relayFailures.incrementAndGet(); // the target closed with a request unanswered
      }
    } catch (IOException | RuntimeException e) {
      if (inMessage) {
        relayFailures.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void add(Map<String, AtomicLong> counters, String key, long n) {
    counters.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(n);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
