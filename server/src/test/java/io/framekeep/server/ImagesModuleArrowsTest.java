package io.framekeep.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The images module's arrows (architecture.md): it turns coded frames into pictures and knows
 * nothing about storage, the wire API, HTTP or the server; and only it and the server see it.
 */
class ImagesModuleArrowsTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.framekeep");
  }

  @Test
  void images_knowsNoServerStorageApiOrHttp() {
    noClasses().that().resideInAPackage("io.framekeep.images..")
        .should().dependOnClassesThat().resideInAnyPackage("io.framekeep.server..",
            "io.framekeep.storage..", "io.framekeep.api..", "io.framekeep.media..", "io.netty..")
        .check(classes);
  }

  @Test
  void lowerModules_doNotDependOnImages() {
    noClasses().that().resideInAnyPackage(
            "io.framekeep.media..", "io.framekeep.storage..", "io.framekeep.api..")
        .should().dependOnClassesThat().resideInAPackage("io.framekeep.images..")
        .check(classes);
  }
}
