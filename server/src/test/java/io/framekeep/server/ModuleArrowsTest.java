package io.framekeep.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module arrows of architecture.md, checked on the compiled classes: media depends on the JDK
 * only, storage knows no media formats, api knows no HTTP framework and no storage, and nothing
 * below the server depends on it.
 */
class ModuleArrowsTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.framekeep");
  }

  @Test
  void media_dependsOnJdkOnly() {
    noClasses().that().resideInAPackage("io.framekeep.media..")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.framekeep.media..", "java..")
        .check(classes);
  }

  @Test
  void storage_knowsNoMediaApiOrServer() {
    noClasses().that().resideInAPackage("io.framekeep.storage..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.framekeep.media..", "io.framekeep.api..", "io.framekeep.server..", "io.netty..")
        .check(classes);
  }

  @Test
  void api_knowsNoHttpFrameworkStorageOrMedia() {
    noClasses().that().resideInAPackage("io.framekeep.api..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.netty..", "io.framekeep.storage..", "io.framekeep.media..", "io.framekeep.server..")
        .check(classes);
  }

  @Test
  void lowerModules_doNotDependOnServer() {
    noClasses().that().resideInAnyPackage(
            "io.framekeep.media..", "io.framekeep.storage..", "io.framekeep.api..")
        .should().dependOnClassesThat().resideInAPackage("io.framekeep.server..")
        .check(classes);
  }
}
