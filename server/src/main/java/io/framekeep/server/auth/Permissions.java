package io.framekeep.server.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who may do what, read from the file given with {@code --permissions}: extra credentials, each
 * allowed a set of actions on streams whose names match glob patterns. The server's own credential
 * ({@code --access-key-id} or the generated one) may do everything.
 *
 * <p>File format (JSON):
 *
 * <pre>
 * {"principals": [
 *   {"accessKeyId": "VIEWER1", "secretAccessKey": "…",
 *    "allow": [{"actions": ["GetClip", "ListFragments", "GetDataEndpoint"],
 *               "streams": ["lobby-*", "dock-4"]}]}]}
 * </pre>
 *
 * Actions are AWS operation names (PutMedia, GetClip, CreateStream, …) or {@code *}; in stream
 * patterns {@code *} matches any run of characters. An action without a stream (ListStreams) is
 * allowed when any grant names it. Immutable and thread-safe.
 */
public final class Permissions {
  /** A credential's grants. */
  public record Principal(
      @JsonProperty("accessKeyId") String accessKeyId,
      @JsonProperty("secretAccessKey") String secretAccessKey,
      @JsonProperty("allow") List<Grant> allow) {}

  /** Some actions on some streams. */
  public record Grant(
      @JsonProperty("actions") List<String> actions,
      @JsonProperty("streams") List<String> streams) {}

  private record File(@JsonProperty("principals") List<Principal> principals) {}

  private final Credential owner;
  private final Map<String, Principal> principals;

  private Permissions(Credential owner, List<Principal> principals) {
    this.owner = owner;
    this.principals = principals.stream()
        .collect(Collectors.toUnmodifiableMap(Principal::accessKeyId, p -> p));
  }

  /** Only the owner credential, with every permission. */
  public static Permissions ownerOnly(Credential owner) {
    return new Permissions(owner, List.of());
  }

  /** Reads a permissions file; the owner keeps every permission. */
  public static Permissions load(Path file, Credential owner) throws IOException {
    ObjectMapper mapper = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    File parsed = mapper.readValue(Files.readAllBytes(file), File.class);
    List<Principal> list = parsed.principals() == null ? List.of() : parsed.principals();
    for (Principal p : list) {
      if (p.accessKeyId() == null || p.accessKeyId().isBlank()
          || p.secretAccessKey() == null || p.secretAccessKey().isBlank()) {
        throw new IOException(file + ": every principal needs accessKeyId and secretAccessKey");
      }
      if (p.accessKeyId().equals(owner.accessKeyId())) {
        throw new IOException(file + ": " + p.accessKeyId() + " is the server's own key");
      }
      for (Grant g : p.allow() == null ? List.<Grant>of() : p.allow()) {
        if (g.actions() == null || g.actions().isEmpty()) {
          throw new IOException(file + ": a grant of " + p.accessKeyId() + " lists no actions");
        }
      }
    }
    if (list.stream().map(Principal::accessKeyId).distinct().count() != list.size()) {
      throw new IOException(file + ": an accessKeyId appears twice");
    }
    return new Permissions(owner, list);
  }

  /** The secret of a known access key. */
  public Optional<String> secretKey(String accessKeyId) {
    if (owner.accessKeyId().equals(accessKeyId)) {
      return Optional.of(owner.secretAccessKey());
    }
    Principal p = principals.get(accessKeyId);
    return p == null ? Optional.empty() : Optional.of(p.secretAccessKey());
  }

  /**
   * Whether the key may perform the action on the stream.
   *
   * @param streamName the stream, or null for an action on no particular stream
   */
  public boolean allows(String accessKeyId, String action, String streamName) {
    if (Objects.equals(owner.accessKeyId(), accessKeyId)) {
      return true;
    }
    Principal p = principals.get(accessKeyId);
    if (p == null || p.allow() == null) {
      return false;
    }
    for (Grant g : p.allow()) {
      if (!g.actions().contains(action) && !g.actions().contains("*")) {
        continue;
      }
      if (streamName == null) {
        return true;
      }
      for (String pattern : g.streams() == null ? List.of("*") : g.streams()) {
        if (glob(pattern).matcher(streamName).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString());
  }
}
