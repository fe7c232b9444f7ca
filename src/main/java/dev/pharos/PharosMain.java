package dev.pharos;

import dev.pharos.config.InvalidConfigException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.ConfigValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point. Its only job beyond starting Quarkus: when the configuration is invalid, print one
 * line per problem, naming the key, and exit with status 2, instead of a stack trace.
 */
@QuarkusMain
public class PharosMain implements QuarkusApplication {

    public static void main(String... args) {
        Quarkus.run(
                PharosMain.class,
                (code, failure) -> {
                    if (failure != null) {
                        List<String> lines = configProblems(failure);
                        if (!lines.isEmpty()) {
                            lines.forEach(l -> System.err.println("pharos: invalid config: " + l));
                            System.exit(2);
                        }
                        System.err.println("pharos: failed to start: " + failure);
                    }
                    System.exit(code);
                },
                args);
    }

    /** The configuration problems in a start-up failure, one line each; empty if it is not one. */
    static List<String> configProblems(Throwable failure) {
        List<String> out = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigException ice) {
                ice.problems().forEach(p -> out.add(p.toString()));
                return out;
            }
            if (t instanceof ConfigValidationException cve) {
                for (int i = 0; i < cve.getProblemCount(); i++) {
                    String line = clean(cve.getProblem(i).getMessage());
                    // an unknown key is reported by every mapping whose prefix covers it
                    if (!out.contains(line)) {
                        out.add(line);
                    }
                }
                return out;
            }
            String message = t.getMessage();
            if (message != null && message.contains("SRCFG")) {
                out.add(clean(message));
                return out;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return out;
    }

    /** SmallRye's messages name the key; drop the exception class some wrappers put in front. */
    private static String clean(String message) {
        int at = message.indexOf("SRCFG");
        return at > 0 ? message.substring(at) : message;
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
