package io.framekeep.it;

import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A PutMedia whose body the test writes chunk by chunk and whose response it reads only if it
 * wants to: what a client that never reads its acks, or trickles its body, does. The request head
 * is signed as the producer SDK signs it ({@link PutMediaClient#sign}). Not thread-safe, except
 * that {@link #close} may be called from any thread.
 */
final class RawPutMedia implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;

  private RawPutMedia(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Connects and sends the signed request head (RELATIVE timecodes from now). */
  static RawPutMedia open(URI endpoint, AwsCredentialsIdentity credentials, String streamName) {
    return open(endpoint, credentials, streamName, 0);
  }

  /**
   * As {@link #open(URI, AwsCredentialsIdentity, String)}, with the socket's receive buffer set to
   * {@code receiveBufferBytes} (0: the system's, which grows to tens of MB on loopback), so a test
   * knows how much of the response the kernel can hold for a client that does not read.
   */
  static RawPutMedia open(URI endpoint, AwsCredentialsIdentity credentials, String streamName,
      int receiveBufferBytes) {
    SdkHttpRequest request = new PutMediaClient(endpoint, credentials, "us-east-1").sign(
        Target.relative(streamName, Instant.now().truncatedTo(ChronoUnit.MILLIS)),
        Signing.EMPTY_PAYLOAD_HASH);
    try {
      Socket socket = new Socket();
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes);
      }
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5_000);
      socket.setTcpNoDelay(true);
      RawPutMedia upload = new RawPutMedia(socket);
      StringBuilder head = new StringBuilder("POST /putMedia HTTP/1.1\r\n");
      request.forEachHeader((name, values) -> values.forEach(
          v -> head.append(name).append(": ").append(v).append("\r\n")));
      head.append("\r\n");
      upload.out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      upload.out.flush();
      return upload;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code bytes} as one body chunk (blocks while the server does not read). */
  void chunk(byte[] bytes) throws IOException {
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.write(new byte[] {'\r', '\n'});
    out.flush();
  }

  /** Ends the body. */
  void end() throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  InputStream in() throws IOException {
    return socket.getInputStream();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // best effort: the test is done with it
    }
  }
}
