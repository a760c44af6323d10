package io.spillway.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A certificate for 127.0.0.1 and localhost, made by the {@code openssl} CLI, for the TLS wire tests. */
public final class SelfSignedCertificate {

  private SelfSignedCertificate() {}

  /** Writes a new self-signed certificate and its key (PEM) to {@code cert} and {@code key}, valid 2 days. */
  public static void write(Path cert, Path key) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(
              "openssl",
              "req",
              "-x509",
              "-newkey",
              "rsa:2048",
              "-nodes",
              "-keyout",
              key.toString(),
              "-out",
              cert.toString(),
              "-days",
              "2",
              "-subj",
              "/CN=localhost",
              "-addext",
              "subjectAltName=IP:127.0.0.1,DNS:localhost")
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      fail(
          "openssl is not installed; this test makes its certificate with it: install the Debian package openssl"
              + " (apt-get install openssl)");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("openssl: " + out).isZero();
  }
}
