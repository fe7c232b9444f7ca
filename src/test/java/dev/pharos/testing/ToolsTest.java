package dev.pharos.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite skips a test here and fails it in CI, and no skip goes around that. */
class ToolsTest {
    /**
     * Ways a test can switch itself off depending on the machine. An opt-in switch
     * ({@code @EnabledIfSystemProperty}, for the benchmarks) is not one of them.
     */
    private static final List<String> SKIPS =
            List.of(
                    "Assumptions",
                    "assumeTrue",
                    "assumeFalse",
                    "assumingThat",
                    "org.junit.Assume",
                    "TestAbortedException",
                    "@Disabled",
                    "@EnabledOnOs",
                    "@DisabledOnOs",
                    "@EnabledIfEnvironmentVariable",
                    "@DisabledIfEnvironmentVariable",
                    "@EnabledIf(",
                    "@DisabledIf(");

    @Test
    void aMissingPrerequisiteFailsInCiNamingItAndSkipsElsewhere() {
        assertThatThrownBy(() -> Tools.need(false, "named (Debian package bind9)", true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("named (Debian package bind9)");
        assertThatThrownBy(() -> Tools.need(false, "root (named -g)", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("root (named -g)");
        Tools.need(true, "nothing", true);
        Tools.need(true, "nothing", false);
    }

    @Test
    void ciIsAnyValueOfTheVariableButFalseOrZero() {
        assertThat(Tools.inCi("true")).isTrue();
        assertThat(Tools.inCi("1")).isTrue();
        assertThat(Tools.inCi("yes")).isTrue();
        assertThat(Tools.inCi(null)).isFalse();
        assertThat(Tools.inCi("")).isFalse();
        assertThat(Tools.inCi("false")).isFalse();
        assertThat(Tools.inCi("0")).isFalse();
    }

    @Test
    void everySkipInTheTestTreeGoesThroughTools() throws IOException {
        Path root = Path.of("src", "test", "java");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String name = f.getFileName().toString();
                if (f.getParent().endsWith(Path.of("dev", "pharos", "testing"))
                        && (name.equals("Tools.java") || name.equals("ToolsTest.java"))) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    for (String skip : SKIPS) {
                        if (lines.get(i).contains(skip)) {
                            found.add(root.relativize(f) + ":" + (i + 1) + ": " + skip);
                        }
                    }
                }
            }
        }
        assertThat(found)
                .as("skips that would also skip in CI; use Tools.need/require/requireRoot")
                .isEmpty();
    }
}
