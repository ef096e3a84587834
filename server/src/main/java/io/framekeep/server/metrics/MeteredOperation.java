package io.framekeep.server.metrics;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Function;

/**
 * Times one AWS operation: {@code framekeep.requests} with the tags {@code operation} (the AWS
 * name) and {@code outcome} ({@code ok}, or the AWS error's wire name such as
 * {@code ResourceNotFoundException}; {@code InternalFailure} for anything else thrown). The time
 * runs until the response is ready to send: the head of a streamed body (GetMedia), the layout of
 * a clip whose bytes then stream. Thread-safe.
 */
public final class MeteredOperation implements Operation {
  static final String REQUESTS = "framekeep.requests";

  private static final String OK = "ok";

  private final String name;
  private final Operation delegate;
  private final MeterRegistry registry;
  /**
   * The timer of successful requests, looked up on the first one and kept: finding a meter by name
   * and tags builds and sorts its id, a cost paid on every request otherwise. Registered only once
   * met, as before, so that an operation never called shows no timer. Other outcomes are looked up
   * each time.
   */
  private volatile Timer okTimer;

  public MeteredOperation(String name, Operation delegate, MeterRegistry registry) {
    this.name = name;
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws Exception {
    return handle(body, caller, header -> null);
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller, Function<String, String> headers)
      throws Exception {
    long startNs = System.nanoTime();
    String outcome = "InternalFailure";
    try {
      Response response = delegate.handle(body, caller, headers);
      outcome = OK;
      return response;
    } catch (ApiException e) {
      outcome = e.error().wireName();
      throw e;
    } catch (Exception | Error e) {
      outcome = io.framekeep.server.http.StorageFailures.unavailable(e)
          .map(a -> a.error().wireName()).orElse(outcome);
      throw e;
    } finally {
      Timer timer = outcome == OK ? okTimer() : timer(outcome);
      timer.record(System.nanoTime() - startNs, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private Timer okTimer() {
    Timer t = okTimer;
    if (t == null) {
      t = timer(OK);
      okTimer = t;
    }
    return t;
  }

  private Timer timer(String outcome) {
    return Timer.builder(REQUESTS).description("AWS operations answered, by outcome")
        .tag("operation", name).tag("outcome", outcome).register(registry);
  }
}
