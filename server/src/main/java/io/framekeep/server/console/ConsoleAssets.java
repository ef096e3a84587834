package io.framekeep.server.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's built files, read from the classpath directory {@value #RESOURCE_DIR} (packed
 * there by the {@code framekeep-console} module) and kept in memory once read: the whole console is
 * a few hundred KB. Thread-safe.
 *
 * <p>Names are checked against {@link #ASSET_NAME} before any lookup, so a request can never name a
 * path outside that directory. {@code index.html} is the only file without a content hash in its
 * name; it must be revalidated on every load, the hashed bundle files never change.
 */
public final class ConsoleAssets {
  /** The classpath directory the console module builds into (its pom's console.assets.dir). */
  static final String RESOURCE_DIR = "framekeep-console/";
  /** The page every console URL without a file name gets. */
  public static final String INDEX = "index.html";
  /** Flat file names only: letters, digits, dot, dash, underscore; no slash, no "..". */
  private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
  /**
   * 8 MiB: the bundle is about 600 KB (hls.js is most of it); anything larger on the classpath under
   * this name is not ours and is not loaded into memory.
   */
  static final int MAX_ASSET_BYTES = 8 << 20;

  /** One file ready to send. */
  public record Asset(String name, String contentType, String cacheControl, String etag,
      byte[] bytes) {}

  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json");

  private final ClassLoader loader;
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  ConsoleAssets(ClassLoader loader) {
    this.loader = loader;
  }

  /** The assets on this class's classpath. */
  public static ConsoleAssets fromClasspath() {
    return new ConsoleAssets(ConsoleAssets.class.getClassLoader());
  }

  /** Whether the console was built into this server (false: a JAR built without it). */
  public boolean present() {
    return find(INDEX).isPresent();
  }

  /** The file of that name, if the console has one. */
  public Optional<Asset> find(String name) {
    if (!ASSET_NAME.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(name, this::load);
  }

  private Optional<Asset> load(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    String type = CONTENT_TYPES.get(extension);
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readNBytes(MAX_ASSET_BYTES + 1);
      if (bytes.length > MAX_ASSET_BYTES) {
        return Optional.empty();
      }
      // Hashed names (app-3F2A.js) never change: cache for a year. index.html names them, so it is
      // revalidated on every load (ETag), and a new server version is picked up at once.
      String cacheControl = name.equals(INDEX)
          ? "no-cache" : "public, max-age=31536000, immutable";
      return Optional.of(new Asset(name, type, cacheControl, etagOf(bytes), bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("reading console asset " + name, e);
    }
  }

  private static String etagOf(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
