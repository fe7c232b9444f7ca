package dev.pharos.bench.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the 1-minute load average every 10 s: the machine is shared, and the numbers mean little
 * without it.
 */
final class LoadSampler {
    private final List<Double> samples = new ArrayList<>();
    private final Thread thread;
    private final String before;
    private volatile boolean stopped;
    private String after;

    private LoadSampler() {
        before = read();
        thread =
                new Thread(
                        () -> {
                            while (!stopped) {
                                String l = read();
                                synchronized (samples) {
                                    samples.add(Double.parseDouble(l.split(" ")[0]));
                                }
                                try {
                                    Thread.sleep(10_000); // the sampling period
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "load-sampler");
        thread.setDaemon(true);
    }

    static LoadSampler start() {
        LoadSampler s = new LoadSampler();
        s.thread.start();
        return s;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
        after = read();
    }

    String summary() {
        synchronized (samples) {
            double mean = samples.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
            double max = samples.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
            return String.format(
                    Locale.ROOT,
                    "before `%s`, during: mean %.2f, max %.2f (%d samples, every 10 s), after `%s`",
                    before,
                    mean,
                    max,
                    samples.size(),
                    after);
        }
    }

    private static String read() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "0 ? ?";
        }
    }
}
