package io.tradestore.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package rules of docs/architecture.md, over the engine's compiled classes (tests and bench left out). */
class PackageRulesTest {
  private static JavaClasses engine;

  @BeforeAll
  static void importEngine() {
    engine = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.tradestore");
  }

  @Test
  void theDomainUsesOnlyTheJavaPlatformAndItself() {
    classes().that().resideInAPackage("io.tradestore.domain..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.tradestore.domain..", "java.lang..", "java.math..",
            "java.util..", "java.time..")
        .because("the trading rules are plain Java: no Vert.x, no SQL, no JSON, no engine (docs/architecture.md)")
        .check(engine);
  }

  @Test
  void noPackageIsInACycle() {
    slices().matching("io.tradestore.(**)").should().beFreeOfCycles()
        .because("a package can then be read, tested and changed with only what it imports in mind")
        .check(engine);
  }

  @Test
  void theRootPackageDependsOnNoOtherPartOfTheEngineButTheDomain() {
    classes().that().resideInAPackage("io.tradestore")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.tradestore", "io.tradestore.domain..", "java..",
            "io.vertx..", "org.slf4j..")
        .because("every part builds on it (addresses, error codes, failures, times), so it may build on none of them")
        .check(engine);
  }
}
