package dev.pharos;

import java.util.List;

/** Gives tests the same one-line-per-problem rendering that start-up prints. */
public final class PharosMainProbe {
    private PharosMainProbe() {}

    public static List<String> configProblems(Throwable t) {
        return PharosMain.configProblems(t);
    }
}
