package dev.pharos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings every @QuarkusTest resource shares: a node in a fresh data directory that probes
 * every 200 ms and evaluates every 200 ms, so a state change shows within a second or two.
 */
public final class FastConfig {
    private FastConfig() {}

    /** A new property map with the node and the fast probe and quorum settings. */
    public static Map<String, String> node(String name) {
        Map<String, String> c = new HashMap<>();
        try {
            c.put("pharos.node.data-dir", Files.createTempDirectory("pharos-" + name).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.put("pharos.node.name", name);
        c.put("pharos.probe.interval", "200ms");
        c.put("pharos.probe.timeout", "150ms");
        c.put("pharos.probe.connect-timeout", "100ms");
        c.put("pharos.probe.recheck", "50ms");
        c.put("pharos.probe.rise", "2");
        c.put("pharos.probe.fall", "2");
        c.put("pharos.quorum.exchange-interval", "200ms");
        c.put("pharos.quorum.exchange-timeout", "100ms");
        c.put("pharos.quorum.stale-after", "1s");
        c.put("pharos.quorum.warmup-rounds", "1");
        return c;
    }

    public static Path dataDir(Map<String, String> config) {
        return Path.of(config.get("pharos.node.data-dir"));
    }
}
