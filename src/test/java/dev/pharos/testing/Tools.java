package dev.pharos.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (an external program, root, a kernel behaviour, a file beside
 * the repository), checked in one place. Outside CI a missing one skips the test, saying what is
 * missing; in CI (the {@code CI} environment variable, which .ci/run sets) it fails the test, so
 * that no test can vanish silently from a CI run. Every skip in the test tree goes through {@link
 * #need}; {@code ToolsTest} checks that none goes around it.
 */
public final class Tools {
    private Tools() {}

    /**
     * Skips the test here, or fails it in CI, unless {@code present}.
     *
     * @param missing what is missing, and how to get it
     */
    public static void need(boolean present, String missing) {
        need(present, missing, inCi());
    }

    static void need(boolean present, String missing, boolean ci) {
        if (present) {
            return;
        }
        if (ci) {
            throw new AssertionError("missing in CI: " + missing);
        }
        Assumptions.abort("skipped, missing: " + missing);
    }

    public static Optional<Path> find(String name) {
        for (String dir :
                new String[] {
                    "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin", "/usr/local/sbin"
                }) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The program, which the test {@link #need}s. */
    public static Path require(String name, String debianPackage) {
        Optional<Path> p = find(name);
        need(p.isPresent(), name + " (Debian package " + debianPackage + "; .ci/run installs it)");
        return p.get();
    }

    /** Root, which the test {@link #need}s. */
    public static void requireRoot(String why) {
        need(root(), "root (" + why + ")");
    }

    public static boolean inCi() {
        return inCi(System.getenv("CI"));
    }

    /** Whether this value of {@code CI} means CI: set, and not "false" or "0". */
    static boolean inCi(String value) {
        return value != null
                && !value.isBlank()
                && !value.strip().equalsIgnoreCase("false")
                && !value.strip().equals("0");
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
