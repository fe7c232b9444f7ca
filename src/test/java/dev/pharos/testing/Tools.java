package dev.pharos.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external programs integration tests use. A missing tool fails the test in CI (where
 * .ci/run installs it) and skips it elsewhere, saying why.
 */
public final class Tools {
    private Tools() {}

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

    public static Path require(String name, String debianPackage) {
        Optional<Path> p = find(name);
        if (p.isEmpty()) {
            String why =
                    name + " not found (Debian package " + debianPackage + "; .ci/run installs it)";
            if (inCi()) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        return p.get();
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
