package io.framekeep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.testing.cluster.S3ProxyServer;
import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The counting proxy the cluster benchmarks put in front of S3Proxy counts every request exactly and
 * relays bytes unchanged: an AWS SDK client (the one Framekeep nodes use, with {@code Expect: 100-continue}
 * on PUT and keep-alive connections) does a known mix of PUTs, GETs (whole and ranged), HEADs and a failing
 * GET through it, against a real S3Proxy.
 */
class CountingHttpProxyTest {
  private static S3ProxyServer s3;
  private static CountingHttpProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.launch();
    proxy = new CountingHttpProxy(s3.port());
  }

  @AfterAll
  static void stop() throws Exception {
    proxy.close();
    s3.close();
  }

  private static S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(proxy.endpoint()))
        .region(Region.of(S3ProxyServer.REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY_ID, S3ProxyServer.SECRET_ACCESS_KEY)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  @Test
  void sdkTraffic_countedPerMethodWithExactBodyBytes_andBytesRelayedUnchanged() throws Exception {
    int[] sizes = {0, 1, 1000, 65_536, 65_537, 3 << 20, 777_777};
    byte[][] objects = new byte[sizes.length][];
    Random random = new Random(42);
    CountingHttpProxy.Counts before = proxy.counts();
    try (S3Client s3 = client()) {
      long putBytes = 0;
      for (int i = 0; i < sizes.length; i++) {
        objects[i] = new byte[sizes[i]];
        random.nextBytes(objects[i]);
        int k = i;
        s3.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key("count/" + k), RequestBody.fromBytes(objects[k]));
        putBytes += sizes[i];
      }
      long getBytes = 0;
      for (int i = 2; i < sizes.length; i++) {
        int k = i;
        byte[] read = s3.getObjectAsBytes(b -> b.bucket(S3ProxyServer.BUCKET).key("count/" + k)).asByteArray();
        assertThat(read).as("object %d read back through the proxy", i).isEqualTo(objects[i]);
        getBytes += read.length;
      }
      byte[] range = s3.getObjectAsBytes(b -> b.bucket(S3ProxyServer.BUCKET).key("count/5")
          .range("bytes=1000-1999999")).asByteArray();
      assertThat(range).hasSize(1_999_000);
      getBytes += range.length;
      for (int i = 0; i < 2; i++) {
        int k = i;
        s3.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key("count/" + (k + 5)));
      }

      CountingHttpProxy.Counts d = proxy.counts().minus(before);

      assertThat(d.requests("PUT")).isEqualTo(sizes.length);
      assertThat(d.requests("GET")).isEqualTo(sizes.length - 2 + 1);
      assertThat(d.requests("HEAD")).isEqualTo(2);
      assertThat(d.requests().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(sizes.length * 2L + 1);
      assertThat(d.requestBodyBytes("PUT")).isEqualTo(putBytes);
      assertThat(d.responseBodyBytes("GET")).isEqualTo(getBytes);
      assertThat(d.responseBodyBytes("HEAD")).isZero();
      assertThat(d.errorResponses()).isZero();
      assertThat(d.durationsMs("PUT")).hasSize(sizes.length);
      assertThat(java.util.Arrays.stream(d.durationsMs("PUT")).min().orElseThrow()).isPositive();
      assertThat(d.durationsMs("GET")).hasSize(sizes.length - 2 + 1);

      CountingHttpProxy.Counts beforeMiss = proxy.counts();
      assertThatThrownBy(() -> s3.getObject(b -> b.bucket(S3ProxyServer.BUCKET).key("count/missing")))
          .isInstanceOf(NoSuchKeyException.class);
      CountingHttpProxy.Counts miss = proxy.counts().minus(beforeMiss);
      assertThat(miss.requests("GET")).isEqualTo(1);
      assertThat(miss.errorResponses()).isEqualTo(1);
    }
    assertThat(proxy.relayFailures()).isZero();
  }
}
