package dev.pharos.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM settings of a small VM (bench/results/memory.md) ship as one JAVA_TOOL_OPTIONS value in
 * the systemd unit, both container images and the local demo, so what is measured is what runs: the
 * four must not drift apart, and none of them may still cap the heap by a share of the RAM.
 */
class JvmSettingsTest {
    private static final Path DEPLOY = Path.of("deploy");

    private static String find(String file, String regex) throws IOException {
        Matcher m =
                Pattern.compile(regex, Pattern.MULTILINE)
                        .matcher(Files.readString(DEPLOY.resolve(file)));
        assertThat(m.find()).as("%s has %s", file, regex).isTrue();
        String value = m.group(1);
        assertThat(m.find()).as("%s has %s only once", file, regex).isFalse();
        return value;
    }

    @Test
    void theUnitTheImagesAndTheDemoRunWithTheSameSmallVmSettings() throws IOException {
        String unit = find("systemd/pharos.service", "^Environment=\"JAVA_TOOL_OPTIONS=(.*)\"$");
        List<String> others =
                List.of(
                        find("container/pom.xml", "<JAVA_TOOL_OPTIONS>(.*)</JAVA_TOOL_OPTIONS>"),
                        find("container/Dockerfile", "^ENV JAVA_TOOL_OPTIONS=\"(.*)\" \\\\$"),
                        find("local/demo", "^jvm_options=\"(.*)\"$"));
        assertThat(others).containsOnly(unit);
        assertThat(List.of(unit.split(" ")))
                .anyMatch(f -> f.startsWith("-Xmx"))
                .anyMatch(f -> f.startsWith("-XX:MaxMetaspaceSize="))
                .contains("-XX:+UseSerialGC");
        for (String file : List.of("container/pom.xml", "container/Dockerfile", "local/demo")) {
            assertThat(Files.readString(DEPLOY.resolve(file)))
                    .doesNotContain("MaxRAMPercentage")
                    .doesNotContain("-Xmx256m");
        }
        assertThat(Files.readString(DEPLOY.resolve("local/demo")))
                .contains("JAVA_TOOL_OPTIONS=\"$jvm_options\" java ");
    }
}
