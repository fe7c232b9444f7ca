package dev.pharos;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import dev.pharos.probe.ProbeResultSink;
import dev.pharos.probe.UpwardImportFixture;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.reconcile.VoteIntake;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stages of docs/ARCHITECTURE.md, read from the compiled classes: each package under {@code
 * dev.pharos} uses only the packages before it in {@link #LAYERS} (its sub-packages included), and
 * no packages form a cycle. A lower stage that needs to tell a higher one something defines a small
 * interface (a port) that the higher one implements. The application class in {@code dev.pharos}
 * itself may use every stage, and none may use it.
 *
 * <p>Exceptions: none. One would be listed here with its reason, as an {@code ignoreDependency} of
 * {@link #layers}.
 */
class ArchitectureTest {
    /** Lowest first; docs/ARCHITECTURE.md's diagram shows this order. */
    static final List<String> LAYERS =
            List.of(
                    "domain",
                    "config",
                    "probe",
                    "observation",
                    "quorum",
                    "decision",
                    "actuator",
                    "journal",
                    "coordination",
                    "alert",
                    "reconcile",
                    "health",
                    "api");

    private static final JavaClasses MAIN =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.pharos");

    /**
     * @param partial the classes checked are a few, not the whole code: a layer may be empty
     */
    static ArchRule layers(boolean partial) {
        LayeredArchitecture rule =
                layeredArchitecture()
                        .consideringOnlyDependenciesInLayers()
                        .withOptionalLayers(partial)
                        .layer("application")
                        .definedBy("dev.pharos");
        for (String layer : LAYERS) {
            rule = rule.layer(layer).definedBy("dev.pharos." + layer + "..");
        }
        rule = rule.whereLayer("application").mayNotBeAccessedByAnyLayer();
        rule = rule.whereLayer(LAYERS.get(0)).mayNotAccessAnyLayer();
        for (int i = 1; i < LAYERS.size(); i++) {
            rule =
                    rule.whereLayer(LAYERS.get(i))
                            .mayOnlyAccessLayers(LAYERS.subList(0, i).toArray(String[]::new));
        }
        return rule.because("a stage hands its results up and never calls a later stage");
    }

    static ArchRule noCycles() {
        return slices().matching("dev.pharos.(**)").should().beFreeOfCycles();
    }

    @Test
    void everyStageUsesOnlyTheStagesBeforeIt() {
        layers(false).check(MAIN);
    }

    @Test
    void noPackagesFormACycle() {
        noCycles().check(MAIN);
    }

    @Test
    void everyPackageIsInALayer() {
        List<String> outside = new ArrayList<>();
        MAIN.forEach(
                c -> {
                    String pkg = c.getPackageName();
                    boolean in =
                            pkg.equals("dev.pharos")
                                    || LAYERS.stream()
                                            .anyMatch(
                                                    l ->
                                                            pkg.equals("dev.pharos." + l)
                                                                    || pkg.startsWith(
                                                                            "dev.pharos."
                                                                                    + l
                                                                                    + "."));
                    if (!in) {
                        outside.add(c.getName());
                    }
                });
        assertThat(outside).as("classes in no layer of the order").isEmpty();
    }

    /** The rules are not vacuous: a probe class that calls the orchestrator breaks both. */
    @Test
    void anUpwardImportIsFound() {
        JavaClasses withViolation =
                new ClassFileImporter()
                        .importClasses(
                                UpwardImportFixture.class,
                                Pipeline.class,
                                VoteIntake.class,
                                ProbeResultSink.class);

        EvaluationResult layering = layers(true).evaluate(withViolation);
        EvaluationResult cycles = noCycles().evaluate(withViolation);

        assertThat(layering.getFailureReport().getDetails())
                .containsExactlyInAnyOrder(
                        "Method <dev.pharos.probe.UpwardImportFixture.evaluateNow("
                                + "dev.pharos.reconcile.Pipeline)> calls method"
                                + " <dev.pharos.reconcile.Pipeline.trigger()> in"
                                + " (UpwardImportFixture.java:14)",
                        "Method <dev.pharos.probe.UpwardImportFixture.evaluateNow("
                                + "dev.pharos.reconcile.Pipeline)> has parameter of type"
                                + " <dev.pharos.reconcile.Pipeline> in"
                                + " (UpwardImportFixture.java:0)");
        assertThat(cycles.getFailureReport().getDetails())
                .singleElement()
                .asString()
                .containsSubsequence(
                        "Cycle detected: Slice probe", "Slice reconcile", "Slice probe")
                .contains("<dev.pharos.reconcile.VoteIntake> implements interface")
                .contains("calls method <dev.pharos.reconcile.Pipeline.trigger()>");
    }
}
