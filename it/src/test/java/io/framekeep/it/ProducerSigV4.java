package io.framekeep.it;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 header signing exactly as the KVS producer SDK signs PutMedia: every header signed,
 * payload hash of the empty string, and no {@code x-amz-content-sha256} header. The SDK's
 * {@code AwsV4HttpSigner} always adds (and signs) that header, so it cannot make this form;
 * {@code PutMediaClientTest} checks this class against it on the same input. Stateless.
 */
final class ProducerSigV4 {
  static final String EMPTY_STRING_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private ProducerSigV4() {}

  /** Adds x-amz-date and Authorization to a request without query parameters. */
  static SdkHttpRequest sign(SdkHttpRequest request, AwsCredentialsIdentity credentials,
      String region, String service, Instant now, String payloadHash) {
    String amzDate = AMZ_DATE.format(now);
    String date = amzDate.substring(0, 8);
    SdkHttpRequest dated = request.toBuilder().putHeader("X-Amz-Date", amzDate).build();
    Map<String, String> headers = new TreeMap<>();
    dated.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
        String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList())));
    StringBuilder canonicalHeaders = new StringBuilder();
    headers.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
    String signedHeaders = String.join(";", headers.keySet());
    String path = dated.encodedPath().isEmpty() ? "/" : dated.encodedPath();
    String canonicalRequest = String.join("\n", List.of(dated.method().name(), path, "",
        canonicalHeaders.toString(), signedHeaders, payloadHash));
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonicalRequest));
    byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8),
        date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, stringToSign));
    return dated.toBuilder().putHeader("Authorization", "AWS4-HMAC-SHA256 Credential="
        + credentials.accessKeyId() + "/" + scope + ", SignedHeaders=" + signedHeaders
        + ", Signature=" + signature).build();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
