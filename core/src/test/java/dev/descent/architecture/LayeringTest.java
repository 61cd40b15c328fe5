package dev.descent.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering of DESIGN.md: dependencies point down only, and packages of the same layer
 * do not import each other.
 *
 * <pre>
 * the loop      train
 * pieces        nn · loss · optim · metric · data · io
 * values        tensor (with autograd and tensor.kernel)
 * leaves        schedule · search
 * root          registry (names, options and defaults of every kind of piece)
 * </pre>
 *
 * Autograd lives inside {@code tensor} rather than in a layer of its own: PyTorch users expect
 * {@code loss.backward()} and {@code w.grad()} on the tensor itself, which a separate layer above
 * the tensor could only offer through a wrapper type.
 */
class LayeringTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.descent");

    private static final List<String> PIECES = List.of("nn", "loss", "optim", "metric", "data", "io");

    private static String pkg(String name) {
        return "dev.descent." + name + "..";
    }

    private static void check(ArchRule rule) {
        rule.allowEmptyShould(true).check(CORE);
    }

    @Test
    void leavesDependOnNothingOfDescent() {
        for (String leaf : List.of("registry", "schedule", "search")) {
            check(noClasses().that().resideInAPackage(pkg(leaf)).should().dependOnClassesThat()
                    .resideInAnyPackage("dev.descent.tensor..", "dev.descent.nn..", "dev.descent.loss..", "dev.descent.optim..",
                            "dev.descent.metric..", "dev.descent.data..", "dev.descent.io..", "dev.descent.train..", "dev.descent.cli.."));
        }
    }

    @Test
    void theRegistryDependsOnNothingOfDescent() {
        check(noClasses().that().resideInAPackage(pkg("registry")).should().dependOnClassesThat()
                .resideInAnyPackage("dev.descent.schedule..", "dev.descent.search.."));
    }

    @Test
    void tensorDependsOnlyOnItself() {
        check(noClasses().that().resideInAPackage(pkg("tensor")).should().dependOnClassesThat()
                .resideInAnyPackage("dev.descent.nn..", "dev.descent.loss..", "dev.descent.optim..", "dev.descent.metric..",
                        "dev.descent.data..", "dev.descent.io..", "dev.descent.train..", "dev.descent.schedule..", "dev.descent.search.."));
    }

    @Test
    void piecesDoNotImportEachOtherNorTheLoop() {
        for (String piece : PIECES) {
            for (String other : PIECES) {
                if (other.equals(piece)) continue;
                check(noClasses().that().resideInAPackage(pkg(piece)).should().dependOnClassesThat().resideInAPackage(pkg(other)));
            }
            check(noClasses().that().resideInAPackage(pkg(piece)).should().dependOnClassesThat().resideInAPackage(pkg("train")));
        }
    }

    @Test
    void nothingBelowFederatedLearningDependsOnIt() {
        check(noClasses().that().resideOutsideOfPackage(pkg("fed")).should().dependOnClassesThat().resideInAPackage(pkg("fed")));
    }

    @Test
    void kernelsKnowNothingOfTensors() {
        check(noClasses().that().resideInAPackage("dev.descent.tensor.kernel..").should().dependOnClassesThat()
                .resideInAPackage("dev.descent.tensor"));
    }
}
