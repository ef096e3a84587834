package io.framekeep.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import io.framekeep.storage.OwnerOnlyFiles;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The credential a server generates for itself when none is configured, kept at
 * {@code <data-dir>/credentials} (mode 0600) so that it survives restarts.
 *
 * <p>Format: a Java properties file with {@code aws_access_key_id} and
 * {@code aws_secret_access_key}, the names the AWS CLI uses.
 */
public final class CredentialsFile {
  public static final String FILE_NAME = "credentials";
  private static final String KEY_ID = "aws_access_key_id";
  private static final String SECRET = "aws_secret_access_key";
  /** AWS access key ids are 20 upper-case alphanumerics starting with a 4-letter prefix. */
  private static final int KEY_ID_RANDOM_CHARS = 16;
  /** AWS secret keys are 40 characters of base64-like text. */
  private static final int SECRET_CHARS = 40;
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private CredentialsFile() {}

  /** Reads the stored credential, creating and storing a random one on first use. */
  public static Credential loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return read(file);
    }
    OwnerOnlyFiles.createDirectories(dataDir);
    SecureRandom random = new SecureRandom();
    Credential created = new Credential(
        "FKIA" + randomText(random, UPPER, KEY_ID_RANDOM_CHARS),
        randomText(random, SECRET_ALPHABET, SECRET_CHARS));
    String text = "# Framekeep server credential: sign requests with this key pair.\n"
        + KEY_ID + "=" + created.accessKeyId() + "\n"
        + SECRET + "=" + created.secretAccessKey() + "\n";
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return read(file); // another process created it first
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.SYNC);
    return created;
  }

  /** Whether {@link #loadOrCreate} would create a new credential. */
  public static boolean exists(Path dataDir) {
    return Files.exists(dataDir.resolve(FILE_NAME));
  }

  private static Credential read(Path file) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    String id = p.getProperty(KEY_ID);
    String secret = p.getProperty(SECRET);
    if (id == null || secret == null || id.isBlank() || secret.isBlank()) {
      throw new IOException(file + " lacks " + KEY_ID + " or " + SECRET);
    }
    return new Credential(id.trim(), secret.trim());
  }

  private static String randomText(SecureRandom random, String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
