/**
 * TLS for both ports: the server's {@link io.netty.handler.ssl.SslContext} built from the PEM files of the TLS
 * settings ({@link io.spillway.server.tls.ServerTls}), OpenSSL (BoringSSL, netty-tcnative) where it loads and the
 * JDK's TLS otherwise, and the initializer that puts Netty's {@code SslHandler} first in a pipeline
 * ({@link io.spillway.server.tls.TlsInitializer}).
 */
package io.spillway.server.tls;
