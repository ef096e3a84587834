package io.framekeep.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module arrows of architecture.md, checked on the compiled classes: media depends on the JDK
 * only, storage knows no media formats, api knows no HTTP framework and no storage, and nothing
 * below the server depends on it. And the storage seam: nothing above storage learns where stored
 * bytes live (paths, files, segment offsets) or which backend it talks to, so that the embedded and
 * the cluster backend are interchangeable.
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

  /** Types that would tell a caller where stored bytes live, or hand it a file. */
  private static final Set<String> LOCATION_TYPES = Set.of("java.nio.file.Path", "java.io.File",
      "java.nio.channels.FileChannel", "java.io.RandomAccessFile");

  @Test
  void readPath_neverCallsStorageForAPathOrFile() {
    noClasses().that().resideOutsideOfPackage("io.framekeep.storage..")
        .should().callMethodWhere(new DescribedPredicate<JavaMethodCall>(
            "a storage method returning a path, file or file channel") {
          @Override
          public boolean test(JavaMethodCall call) {
            return call.getTargetOwner().getPackageName().startsWith("io.framekeep.storage")
                && LOCATION_TYPES.contains(call.getTarget().getRawReturnType().getName());
          }
        })
        .check(classes);
  }

  @Test
  void readPath_neverReadsWhereAFragmentLives() {
    noClasses().that().resideOutsideOfPackage("io.framekeep.storage..")
        .should().callMethod("io.framekeep.storage.FragmentRecord", "segmentId")
        .orShould().callMethod("io.framekeep.storage.FragmentRecord", "offset")
        .check(classes);
  }

  @Test
  void server_sendsStoredBytesOnlyThroughByteSources() {
    noClasses().that().resideInAPackage("io.framekeep.server..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.nio.channels.FileChannel")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("io.netty.channel.DefaultFileRegion")
        .check(classes);
  }

  @Test
  void server_namesNoBackendButAtItsCompositionRoot() {
    noClasses().that().resideInAPackage("io.framekeep.server..")
        .and().doNotBelongToAnyOf(StorageBackend.class)
        .should().dependOnClassesThat().haveFullyQualifiedName("io.framekeep.storage.EmbeddedStorage")
        .orShould().dependOnClassesThat().resideInAPackage("io.framekeep.storage.cluster..")
        .check(classes);
  }

  @Test
  void embeddedStorage_knowsNothingOfTheClusterBackend() {
    noClasses().that().resideInAPackage("io.framekeep.storage")
        .should().dependOnClassesThat().resideInAPackage("io.framekeep.storage.cluster..")
        .check(classes);
  }

  @Test
  void clusterBackend_reachesTheEmbeddedBackendOnlyThroughItsInterfaces() {
    noClasses().that().resideInAPackage("io.framekeep.storage.cluster..")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.framekeep.storage.EmbeddedStorage")
        .orShould().dependOnClassesThat()
        .haveFullyQualifiedName("io.framekeep.storage.SqliteFragmentLog")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.framekeep.storage.Database")
        .check(classes);
  }
}
