package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * alerts/pharos-rules.yml uses only metric names the code exports, and every runbook link lands on
 * a section of docs/OPERATIONS.md. (promtool checks the rules themselves, in .ci/run.)
 */
class AlertRulesConsistencyTest {
    private static final Path RULES = Path.of("alerts/pharos-rules.yml");

    @Test
    void everyMetricARuleUsesIsExportedByTheCode() throws IOException {
        String rules = Files.readString(RULES);
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(pharos_[a-z_]+)\\b").matcher(rules);
        while (m.find()) {
            String name = m.group(1).replaceAll("_(bucket|count|sum|max)$", "");
            if (!name.equals("pharos_region")
                    && !name.equals("pharos_target")
                    && !name.equals("pharos_vote")) {
                used.add(name);
            }
        }
        assertThat(used).contains("pharos_region_state", "pharos_quorum_held");
        String code = allMainJava();
        List<String> missing = new ArrayList<>();
        for (String name : used) {
            if (!code.contains("\"" + name + "\"")) {
                missing.add(name);
            }
        }
        assertThat(missing).as("metrics used by rules but not exported").isEmpty();
    }

    @Test
    void everyRunbookLinksToASectionOfTheOperationsGuide() throws IOException {
        String rules = Files.readString(RULES);
        String ops = Files.readString(Path.of("docs/OPERATIONS.md"));
        Set<String> anchors = new TreeSet<>();
        // a heading of any level gives its GitHub anchor; <a id="..."> gives an explicit one
        Matcher explicit = Pattern.compile("<a id=\"([a-z0-9-]+)\">").matcher(ops);
        while (explicit.find()) {
            anchors.add(explicit.group(1));
        }
        for (String line : ops.split("\n")) {
            if (line.matches("#{2,6} .*")) {
                anchors.add(
                        line.replaceFirst("#{2,6} ", "")
                                .trim()
                                .toLowerCase()
                                .replaceAll("[^a-z0-9 -]", "")
                                .replace(' ', '-'));
            }
        }
        Matcher m = Pattern.compile("runbook: \"docs/OPERATIONS.md#([a-z0-9-]+)\"").matcher(rules);
        int runbooks = 0;
        while (m.find()) {
            runbooks++;
            assertThat(anchors).contains(m.group(1));
        }
        int alerts = rules.split("- alert: ", -1).length - 1;
        assertThat(runbooks)
                .as("every rule has a runbook")
                .isEqualTo(alerts)
                .isGreaterThanOrEqualTo(9);
    }

    private static String allMainJava() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(p));
            }
        }
        return all.toString();
    }
}
