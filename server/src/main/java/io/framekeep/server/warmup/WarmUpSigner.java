package io.framekeep.server.warmup;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 header signing of the warm-up's requests, in the form the KVS producer SDK and the AWS
 * CLI use: every given header signed, the payload hash in the canonical request (the empty string's
 * for PutMedia, whose body streams), no query string. Only the warm-up's own requests to its
 * scratch server are signed with it. Stateless.
 */
final class WarmUpSigner {
  static final String SERVICE = "kinesisvideo";
  static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String accessKeyId;
  private final String secretAccessKey;
  private final String region;

  WarmUpSigner(String accessKeyId, String secretAccessKey, String region) {
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.region = region;
  }

  /**
   * The headers to send: {@code headers} plus {@code X-Amz-Date} and {@code Authorization}.
   *
   * @param payloadSha256Hex the hex SHA-256 of the body, or {@link #EMPTY_SHA256} for PutMedia
   */
  Map<String, String> sign(String method, String path, Map<String, String> headers,
      String payloadSha256Hex, Instant now) {
    String amzDate = AMZ_DATE.format(now);
    String date = amzDate.substring(0, 8);
    Map<String, String> signed = new TreeMap<>();
    headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.trim()));
    signed.put("x-amz-date", amzDate);
    StringBuilder canonicalHeaders = new StringBuilder();
    signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
    String signedHeaders = String.join(";", signed.keySet());
    String canonicalRequest = method + "\n" + path + "\n\n" + canonicalHeaders + "\n"
        + signedHeaders + "\n" + payloadSha256Hex;
    String scope = date + "/" + region + "/" + SERVICE + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, SERVICE);
    key = hmac(key, "aws4_request");
    Map<String, String> out = new TreeMap<>(headers);
    out.put("X-Amz-Date", amzDate);
    out.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope
        + ", SignedHeaders=" + signedHeaders + ", Signature="
        + HexFormat.of().formatHex(hmac(key, stringToSign)));
    return out;
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
