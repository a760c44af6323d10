package io.spillway.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's package structure: no cycle among its packages, and a broker that knows subscribers and frame
 * encoders only through its own types, not the protocols, transports or telemetry that use it.
 */
class ServerArchitectureTest {

  /** The server's production classes, imported once, on first use. */
  private static final class Server {
    static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.spillway.server");
  }

  @Test
  void serverPackagesFormNoCycle() {
    slices().matching("io.spillway.server.(*)..").should().beFreeOfCycles().check(Server.CLASSES);
  }

  @Test
  void brokerDependsOnNoProtocolTransportOrTelemetryPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.spillway.server.broker..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.spillway.server.resp..",
            "io.spillway.server.ws..",
            "io.spillway.server.command..",
            "io.spillway.server.http..",
            "io.spillway.server.metrics..",
            "io.spillway.server.client..",
            "io.spillway.server.backplane..")
        .because(
            "RESP, WebSocket, HTTP and the backplane call the broker's one publish path; it reaches subscribers"
                + " through an interface and frame encoders they supply, and the backplane through its hooks")
        .check(Server.CLASSES);
  }

  @Test
  void backplaneDependsOnNoProtocolOrFrontEnd() {
    noClasses()
        .that()
        .resideInAPackage("io.spillway.server.backplane..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.spillway.server.resp..",
            "io.spillway.server.ws..",
            "io.spillway.server.command..",
            "io.spillway.server.http..",
            "io.spillway.server.metrics..",
            "io.spillway.server.client..")
        .because(
            "the backplane is one more publisher and interest listener of the broker; the front ends read its"
                + " figures (BackplaneStatus)")
        .check(Server.CLASSES);
  }

  @Test
  void outboxDependsOnNoneOfItsUsers() {
    noClasses()
        .that()
        .resideInAPackage("io.spillway.server.outbox..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.spillway.server.broker..",
            "io.spillway.server.client..",
            "io.spillway.server.resp..",
            "io.spillway.server.ws..",
            "io.spillway.server.command..",
            "io.spillway.server.http..",
            "io.spillway.server.metrics..")
        .because(
            "the outbox enforces one client's policy; cuts are reported through OutboxObserver")
        .check(Server.CLASSES);
  }
}
