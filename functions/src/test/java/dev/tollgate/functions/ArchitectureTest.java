package dev.tollgate.functions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import io.micronaut.http.annotation.Controller;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of DESIGN.md ("Layout"), checked on the compiled production classes of both modules:
 * {@code shared} imports no Micronaut; only the store package (and the wiring that builds clients) imports the
 * DynamoDB SDK; controllers call services, never stores; providers never import each other; money is never a
 * floating-point number.
 *
 * <p>Every rule keeps ArchUnit's default {@code failOnEmptyShould}, so a rule whose class selection silently
 * became empty (a renamed package) fails instead of passing vacuously.
 */
class ArchitectureTest {

    /** The shared module's packages: everything under dev.tollgate except the application and the local runner. */
    private static final String[] APPLICATION_PACKAGES = {"dev.tollgate.functions..", "dev.tollgate.local.."};
    private static final String MONEY_NAME = "(?i).*(cost|price|pricing|balance|amount|micros|dollars|credit|budget"
            + "|charge|spend|spent|refund|hold|shortfall).*";

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // shared's test-jar (the test kit) is on this classpath; when resolved from a jar rather than
                // target/test-classes the predefined option does not recognise it.
                .withImportOption(ArchitectureTest::notATestJar)
                .importPackages("dev.tollgate");
    }

    private static boolean notATestJar(Location location) {
        return !location.contains("-tests.jar") && !location.contains("/dev/tollgate/testkit/");
    }

    @Test
    void importSeesBothModules() {
        assertThat(classes.containPackage("dev.tollgate.money")).as("shared module").isTrue();
        assertThat(classes.containPackage("dev.tollgate.store.dynamo")).as("shared store").isTrue();
        assertThat(classes.containPackage("dev.tollgate.functions.web")).as("functions module").isTrue();
        assertThat(classes.containPackage("dev.tollgate.testkit")).as("test kit excluded").isFalse();
        assertThat(classes.stream().map(c -> c.getName()))
                .as("test classes excluded")
                .doesNotContain(ArchitectureTest.class.getName());
    }

    @Test
    void jacksonBuffersComeFromTheSharedPool() {
        ArchRule rule = noClasses()
                .that().resideInAPackage("dev.tollgate..")
                .should().callConstructor(com.fasterxml.jackson.databind.ObjectMapper.class)
                .orShould().callConstructor(com.fasterxml.jackson.core.JsonFactory.class)
                .orShould().callMethod(com.fasterxml.jackson.databind.json.JsonMapper.class, "builder")
                .because("a mapper's own factory keeps its buffers per thread, and a virtual thread per request never "
                        + "reuses them: JsonBuffers.mapper() and JsonBuffers.factory() share one pool");
        rule.check(classes);
    }

    @Test
    void sharedImportsNoMicronaut() {
        ArchRule rule = noClasses()
                .that().resideInAPackage("dev.tollgate..")
                .and().resideOutsideOfPackages(APPLICATION_PACKAGES)
                .should().dependOnClassesThat().resideInAPackage("io.micronaut..")
                .because("shared is a plain Java domain library (DESIGN.md, Layout)");
        rule.check(classes);
    }

    @Test
    void sharedImportsNoMetricsLibrary() {
        ArchRule rule = noClasses()
                .that().resideInAPackage("dev.tollgate..")
                .and().resideOutsideOfPackages(APPLICATION_PACKAGES)
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .because("the domain reports through its own Metrics hook; the application picks Micrometer or EMF");
        rule.check(classes);
    }

    @Test
    void onlyTheStoreAndTheWiringImportTheDynamoDbSdk() {
        ArchRule rule = noClasses()
                .that().resideInAPackage("dev.tollgate..")
                .and().resideOutsideOfPackages("dev.tollgate.store..", "dev.tollgate.functions.wiring..",
                        "dev.tollgate.local..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk.services.dynamodb..")
                .because("only the store package imports the DynamoDB SDK (DESIGN.md, Layout)");
        rule.check(classes);
    }

    @Test
    void theDomainDependsOnStorePortsNotOnTheDynamoDbAdapters() {
        ArchRule rule = noClasses()
                .that().resideInAPackage("dev.tollgate..")
                .and().resideOutsideOfPackages("dev.tollgate.store..", "dev.tollgate.functions.wiring..",
                        "dev.tollgate.local..")
                .should().dependOnClassesThat().resideInAPackage("dev.tollgate.store..")
                .because("services talk to ports (KeyStore, BalanceStore, ...); only the wiring picks DynamoDB");
        rule.check(classes);
    }

    @Test
    void controllersCallServicesNeverStores() {
        ArchRule rule = noClasses()
                .that().resideInAPackage("dev.tollgate.functions.web..")
                .and().areAnnotatedWith(Controller.class)
                .should().dependOnClassesThat().resideInAPackage("dev.tollgate.store..")
                .orShould().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .because("controllers call services, never stores (DESIGN.md, Layout)");
        rule.check(classes);
    }

    @Test
    void controllersLiveInTheWebPackage() {
        ArchRule rule = classes()
                .that().areAnnotatedWith(Controller.class)
                .should().resideInAPackage("dev.tollgate.functions.web..")
                .because("the layering rules above select controllers by that package");
        rule.check(classes);
    }

    @Test
    void providersNeverImportEachOther() {
        ArchRule rule = SlicesRuleDefinition.slices()
                .matching("dev.tollgate.upstream.(*)..")
                .should().notDependOnEachOther()
                .because("providers are small adapters behind one narrow interface (DESIGN.md)");
        rule.check(classes);
    }

    @Test
    void providersDependOnlyOnTheUpstreamInterfaceNotOnTheDomain() {
        ArchRule rule = noClasses()
                .that().resideInAPackage("dev.tollgate.upstream.(*)..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tollgate.chat..", "dev.tollgate.billing..",
                        "dev.tollgate.store..", "dev.tollgate.functions..")
                .because("an adapter speaks to one upstream; billing and routing happen above it");
        rule.check(classes);
    }

    @Test
    void moneyIsNeverAFloatingPointField() {
        ArchRule rule = fields()
                .that().haveNameMatching(MONEY_NAME)
                .and().areDeclaredInClassesThat().resideInAPackage("dev.tollgate..")
                .should().notHaveRawType(double.class)
                .andShould().notHaveRawType(float.class)
                .andShould().notHaveRawType(Double.class)
                .andShould().notHaveRawType(Float.class)
                .because("money is an integer number of micro-dollars, never double (DESIGN.md, Money)");
        rule.check(classes);
    }

    @Test
    void moneyIsNeverAFloatingPointReturnValue() {
        ArchRule rule = methods()
                .that().haveNameMatching(MONEY_NAME)
                .and().areDeclaredInClassesThat().resideInAPackage("dev.tollgate..")
                .should().notHaveRawReturnType(double.class)
                .andShould().notHaveRawReturnType(float.class)
                .andShould().notHaveRawReturnType(Double.class)
                .andShould().notHaveRawReturnType(Float.class)
                .because("money is an integer number of micro-dollars, never double (DESIGN.md, Money)");
        rule.check(classes);
    }
}
