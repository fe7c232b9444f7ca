package dev.pharos.actuator.dns.embedded;

import static org.assertj.core.api.Assertions.fail;

import dev.pharos.testing.Tools;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real DNS tools (dig from bind9-dnsutils, kdig from knot-dnsutils) and reads their
 * output. A missing tool fails the test in CI (CI=true) and skips it elsewhere, saying what to
 * install.
 */
final class DnsTools {
    private static final Pattern STATUS = Pattern.compile("status: (\\w+)");
    private static final Pattern FLAGS = Pattern.compile("(?i);; flags: ([a-z ]*);");
    private static final Pattern UDP = Pattern.compile("(?i)udp(?: size)?: (\\d+)");
    private static final Pattern SECTION = Pattern.compile(";; (\\w+)(?: PSEUDO)? ?SECTION:");

    /** dig or kdig. */
    enum Tool {
        DIG("dig", "bind9-dnsutils"),
        KDIG("kdig", "knot-dnsutils");

        final String command;
        final String debianPackage;

        Tool(String command, String debianPackage) {
            this.command = command;
            this.debianPackage = debianPackage;
        }
    }

    /** One tool's reading of one response. */
    record Answer(
            String status,
            List<String> flags,
            Map<String, List<String>> sections,
            Optional<Integer> udpSize,
            String raw) {
        List<String> section(String name) {
            return sections.getOrDefault(name, List.of());
        }

        /** The record data (last field) of each record in a section. */
        List<String> data(String section) {
            return section(section).stream().map(l -> l.split("\\s+", 5)[4]).toList();
        }

        /** The record types in a section. */
        List<String> types(String section) {
            return section(section).stream().map(l -> l.split("\\s+")[3]).toList();
        }

        /** The TTLs in a section. */
        List<Long> ttls(String section) {
            return section(section).stream().map(l -> Long.parseLong(l.split("\\s+")[1])).toList();
        }

        @Override
        public String toString() {
            return raw;
        }
    }

    private DnsTools() {}

    /** Fails in CI, skips elsewhere, when the tool is not installed. */
    static void require(Tool tool) {
        Tools.need(
                onPath(tool.command),
                tool.command + " (apt-get install " + tool.debianPackage + ")");
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asks {@code server} on {@code port} with the tool, once, without retries.
     *
     * @param options tool options such as "+tcp", "+noedns", "+ignore"
     */
    static Answer ask(
            Tool tool, String server, int port, String name, String type, String... options)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.command);
        cmd.add("@" + server);
        cmd.add("-p");
        cmd.add(String.valueOf(port));
        cmd.addAll(
                tool == Tool.DIG
                        ? List.of("+tries=1", "+time=3")
                        : List.of("+retry=0", "+timeout=3"));
        cmd.addAll(Arrays.asList(options));
        cmd.add(name);
        cmd.add(type);
        return run(cmd);
    }

    static Answer run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return parse(out);
    }

    /** Every response in the output of one run that asked several questions. */
    static List<Answer> parseAll(String out) {
        List<Answer> all = new ArrayList<>();
        String[] parts = out.split("(?=;; ->>HEADER<<-)");
        for (String part : parts) {
            if (part.contains("->>HEADER<<-")) {
                all.add(parse(part));
            }
        }
        return all;
    }

    /** Reads dig's or kdig's default output (the first response in it). */
    static Answer parse(String out) {
        Matcher status = STATUS.matcher(out);
        Matcher flags = FLAGS.matcher(out);
        Matcher udp = UDP.matcher(out);
        Map<String, List<String>> sections = new HashMap<>();
        String current = null;
        for (String line : out.split("\n")) {
            Matcher s = SECTION.matcher(line);
            if (s.find()) {
                current = s.group(1).toUpperCase();
                sections.putIfAbsent(current, new ArrayList<>());
            } else if (line.isBlank() || line.startsWith(";; ->>HEADER")) {
                current = null;
            } else if ("QUESTION".equals(current)) {
                sections.get(current).add(line.replaceFirst("^;+\\s*", "").trim());
            } else if (current != null && !line.startsWith(";")) {
                sections.get(current).add(line.trim());
            }
        }
        return new Answer(
                status.find() ? status.group(1) : "NONE",
                flags.find() ? List.of(flags.group(1).trim().split("\\s+")) : List.of(),
                sections,
                udp.find() ? Optional.of(Integer.parseInt(udp.group(1))) : Optional.empty(),
                out);
    }
}
