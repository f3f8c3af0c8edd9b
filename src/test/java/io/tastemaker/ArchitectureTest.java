package io.tastemaker;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.tastemaker.api.ApiException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.fail;

/**
 * The layering the code map promises, checked on the compiled main classes: capability packages
 * depend on each other one way, the ranking core knows no web framework, and only the HTTP edge
 * decides status codes.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tastemaker");
    }

    @Test
    void the_configuration_and_the_composition_root_sit_at_the_two_ends() {
        noClasses().that().resideInAPackage("io.tastemaker.runtime..")
                .should().dependOnClassesThat(resideInAPackage("io.tastemaker..")
                        .and(DescribedPredicate.not(resideInAPackage("io.tastemaker.runtime.."))))
                .because("runtime is the configuration every capability may read")
                .check(main);
        noClasses().that().resideInAPackage("io.tastemaker.resilience..")
                .should().dependOnClassesThat(resideInAPackage("io.tastemaker..")
                        .and(DescribedPredicate.not(resideInAPackage("io.tastemaker.resilience.."))))
                .orShould().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.vertx..", "jakarta..")
                .because("deadlines and breakers are plain Java any capability, the ranking core too, may use")
                .check(main);
        noClasses().that().resideOutsideOfPackage("io.tastemaker.app..")
                .should().dependOnClassesThat().resideInAPackage("io.tastemaker.app..")
                .because("app is the composition root: it wires the capabilities, none of them knows it")
                .check(main);
    }

    @Test
    void capability_packages_import_each_other_one_way() {
        ArchRule rule = slices().matching("io.tastemaker.(*)..").namingSlices("$1").should().beFreeOfCycles();
        EvaluationResult result = rule.evaluate(main);
        if (result.hasViolation()) {
            fail("Import cycles between capability packages:\n  " + String.join("\n  ", cycles(result))
                    + "\n\n" + result.getFailureReport());
        }
    }

    @Test
    void the_ranking_core_knows_no_web_framework() {
        DescribedPredicate<JavaClass> edge = DescribedPredicate.describe("REST resources or config classes",
                c -> isHttpEdge(c) || topLevel(c).getSimpleName().endsWith("Config"));
        noClasses().that().resideInAPackage("io.tastemaker.recommend..").and(DescribedPredicate.not(edge))
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..",
                        "io.vertx..", "io.quarkus..")
                .because("the ranking core is plain Java; Quarkus and JAX-RS stay at the edges")
                .check(main);
    }

    @Test
    void only_the_http_edge_makes_api_exceptions() {
        DescribedPredicate<JavaClass> belowTheEdge = DescribedPredicate.describe("below the HTTP edge",
                c -> !isHttpEdge(c) && !c.getPackageName().startsWith("io.tastemaker.api"));
        DescribedPredicate<JavaCall<?>> makesApiException = DescribedPredicate.describe("make an ApiException",
                call -> call.getTargetOwner().isAssignableTo(ApiException.class)
                        && (call instanceof JavaConstructorCall
                        || call.getTarget().getRawReturnType().isAssignableTo(ApiException.class)));
        String because = "services throw domain exceptions; the HTTP layer alone maps them to status codes";
        noClasses().that(belowTheEdge).should().callCodeUnitWhere(makesApiException).because(because).check(main);
        noCodeUnits().that().areDeclaredInClassesThat(belowTheEdge).should().declareThrowableOfType(ApiException.class)
                .because(because).check(main);
    }

    /** A REST resource, a class of a {@code rest} package, or a class nested in either. */
    private static boolean isHttpEdge(JavaClass c) {
        return topLevel(c).getSimpleName().endsWith("Resource") || (c.getPackageName() + ".").contains(".rest.");
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }

    /** "a -> b -> a" for each cycle ArchUnit reports, so a failure starts with the list. */
    private static List<String> cycles(EvaluationResult result) {
        List<String> cycles = new ArrayList<>();
        for (String detail : result.getFailureReport().getDetails()) {
            String path = detail.split("\n\\s*1\\. ", 2)[0].replace("Cycle detected:", "");
            cycles.add(String.join(" -> ", Arrays.stream(path.split("->")).map(String::strip).toList()));
        }
        return cycles;
    }
}
