package io.framekeep.server.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the TLS implementation: BoringSSL through Netty's native library, or the JDK's. */
final class TlsProviders {
  private static final Logger LOG = LoggerFactory.getLogger(TlsProviders.class);

  private TlsProviders() {}

  /**
   * The provider for {@code wanted}, logged once with the reason. {@link TlsOptions.Provider#OPENSSL}
   * fails when the native library cannot load on this machine (wrong platform, missing libc).
   */
  static SslProvider choose(TlsOptions.Provider wanted) {
    switch (wanted) {
      case JDK -> {
        LOG.info("TLS provider: JDK ({}), as configured", Runtime.version());
        return SslProvider.JDK;
      }
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new IllegalStateException("the OpenSSL TLS provider was asked for but Netty's"
              + " native library does not load here", OpenSsl.unavailabilityCause());
        }
        LOG.info("TLS provider: {} through netty-tcnative, as configured", OpenSsl.versionString());
        return SslProvider.OPENSSL;
      }
      default -> {
        if (OpenSsl.isAvailable()) {
          LOG.info("TLS provider: {} through netty-tcnative", OpenSsl.versionString());
          return SslProvider.OPENSSL;
        }
        LOG.info("TLS provider: JDK ({}); netty-tcnative does not load here: {}",
            Runtime.version(), String.valueOf(OpenSsl.unavailabilityCause()));
        return SslProvider.JDK;
      }
    }
  }
}
