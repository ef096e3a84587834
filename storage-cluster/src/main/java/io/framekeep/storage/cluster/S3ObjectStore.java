package io.framekeep.storage.cluster;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ObjectStore} over one bucket of any S3-compatible store, through the AWS SDK for Java v2 (built by
 * {@link S3Clients}). Uses only PutObject, ranged GetObject and DeleteObject, which every S3-compatible store
 * implements alike; conditional writes are not relied on (S3Proxy ignores them): PostgreSQL coordinates.
 *
 * <p>Thread safety: the SDK client is thread-safe; so is this class.
 */
public final class S3ObjectStore implements ObjectStore {

  /** Content type of stored objects: concatenated opaque fragment payloads. */
  static final String CONTENT_TYPE = "application/octet-stream";

  /**
   * 2 s for a health check's HeadBucket, retries included: a load balancer's health probe typically times
   * out after 2 to 5 s, and a store that cannot answer a HEAD in 2 s cannot serve reads either.
   */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  /** HTTP 416: a ranged GET that starts at or past the object's end. */
  private static final int RANGE_NOT_SATISFIABLE = 416;

  private final S3Client s3;
  private final String bucket;
  private final java.util.concurrent.atomic.AtomicLong getCount = new java.util.concurrent.atomic.AtomicLong();

  public S3ObjectStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public void put(String key, long lengthBytes, Supplier<InputStream> content) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(key).contentLength(lengthBytes).contentType(CONTENT_TYPE),
          RequestBody.fromContentProvider(content::get, lengthBytes, CONTENT_TYPE));
    } catch (SdkException e) {
      throw new ObjectStoreException("PUT " + bucket + "/" + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream openRange(String key, long offset, long lengthBytes) throws IOException {
    if (offset < 0 || lengthBytes <= 0) {
      throw new IllegalArgumentException("bad range: offset " + offset + ", length " + lengthBytes);
    }
    String range = "bytes=" + offset + "-" + (offset + lengthBytes - 1);
    getCount.incrementAndGet();
    try {
      ResponseInputStream<GetObjectResponse> response = s3.getObject(b -> b.bucket(bucket).key(key).range(range));
      Long returned = response.response().contentLength();
      if (returned == null || returned != lengthBytes) {
        response.abort();
        throw new ObjectStoreException("GET " + bucket + "/" + key + " " + range + " returned " + returned
            + " bytes", null);
      }
      return new AbortOnEarlyClose(response, lengthBytes);
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(bucket + "/" + key);
    } catch (SdkException e) {
      throw new ObjectStoreException("GET " + bucket + "/" + key + " " + range + " failed: " + e.getMessage(), e);
    }
  }

  /** A ranged GET past the object's end: S3 answers with the bytes up to the end (206) or 416 when none. */
  @Override
  public InputStream openRangeUpTo(String key, long offset, long maxLengthBytes) throws IOException {
    if (offset < 0 || maxLengthBytes <= 0) {
      throw new IllegalArgumentException("bad range: offset " + offset + ", length " + maxLengthBytes);
    }
    String range = "bytes=" + offset + "-" + (offset + maxLengthBytes - 1);
    getCount.incrementAndGet();
    try {
      ResponseInputStream<GetObjectResponse> response = s3.getObject(b -> b.bucket(bucket).key(key).range(range));
      Long returned = response.response().contentLength();
      if (returned == null || returned <= 0 || returned > maxLengthBytes) {
        response.abort();
        throw new ObjectStoreException("GET " + bucket + "/" + key + " " + range + " returned " + returned
            + " bytes", null);
      }
      return new AbortOnEarlyClose(response, returned);
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(bucket + "/" + key);
    } catch (S3Exception e) {
      if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
        throw new EOFException(bucket + "/" + key + " ends before offset " + offset);
      }
      throw new ObjectStoreException("GET " + bucket + "/" + key + " " + range + " failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new ObjectStoreException("GET " + bucket + "/" + key + " " + range + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw new ObjectStoreException("DELETE " + bucket + "/" + key + " failed: " + e.getMessage(), e);
    }
  }

  /** A HeadBucket in one attempt bounded by {@link #CHECK_TIMEOUT}. */
  @Override
  public void checkReachable() throws IOException {
    try {
      s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o
          .apiCallTimeout(CHECK_TIMEOUT)
          .apiCallAttemptTimeout(CHECK_TIMEOUT)));
    } catch (SdkException e) {
      throw new ObjectStoreException("HEAD " + bucket + " failed: " + e.getMessage(), e);
    }
  }

  /** Ranged GETs sent since this store was created, answered or not. */
  public long getCount() {
    return getCount.get();
  }

  @Override
  public void close() {
    s3.close();
  }

  /**
   * A ranged response that, closed before its end, aborts the HTTP connection instead of draining it (draining
   * megabytes nobody wants would hold the connection; aborting costs a new one).
   */
  private static final class AbortOnEarlyClose extends FilterInputStream {
    private final ResponseInputStream<GetObjectResponse> response;
    private long remaining;

    AbortOnEarlyClose(ResponseInputStream<GetObjectResponse> response, long lengthBytes) {
      super(response);
      this.response = response;
      this.remaining = lengthBytes;
    }

    @Override
    public int read() throws IOException {
      int b = wrapped(() -> super.read());
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = wrapped(() -> super.read(buffer, offset, length));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    private interface Read {
      int run() throws IOException;
    }

    private static int wrapped(Read read) throws IOException {
      try {
        return read.run();
      } catch (SdkException e) {
        throw new ObjectStoreException("reading a ranged GET failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      if (remaining > 0) {
        response.abort();
      }
      super.close();
    }
  }
}
