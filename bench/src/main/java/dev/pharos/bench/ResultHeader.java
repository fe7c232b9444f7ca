package dev.pharos.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The line under a results table's title: what ran it, when, and how busy the machine was. */
public final class ResultHeader {
    private ResultHeader() {}

    /** "Command: `SCRIPT` (N trials, TIME, load average L).", with a newline. */
    public static String command(String script, int trials) throws IOException {
        return "Command: `"
                + script
                + "` ("
                + trials
                + " trials, "
                + Instant.now()
                + ", load average "
                + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0]
                + ").\n";
    }
}
