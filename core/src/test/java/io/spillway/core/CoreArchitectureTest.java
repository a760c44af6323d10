package io.spillway.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Core decides and the server enforces: core's production classes name no Netty type and nothing of the modules built
 * on it, and its packages form no cycle.
 */
class CoreArchitectureTest {

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.spillway.core");

  @Test
  void coreDependsOnNeitherNettyNorTheServerNorTheBench() {
    noClasses()
        .that()
        .resideInAPackage("io.spillway.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "io.spillway.server..", "io.spillway.bench..")
        .because(
            "core holds the policies, testable without sockets; Netty and enforcement live in server")
        .check(CORE);
  }

  @Test
  void corePackagesFormNoCycle() {
    slices().matching("io.spillway.core.(*)..").should().beFreeOfCycles().check(CORE);
  }
}
