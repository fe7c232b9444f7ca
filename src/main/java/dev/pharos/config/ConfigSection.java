package dev.pharos.config;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What every part of the configuration's validation shares: the mapped configuration, the sink that
 * collects problems (each naming its key), and the small checks several parts use.
 */
abstract class ConfigSection {
    protected final PharosConfig config;
    private final BiConsumer<String, String> sink;

    ConfigSection(PharosConfig config, BiConsumer<String, String> sink) {
        this.config = config;
        this.sink = sink;
    }

    protected void problem(String key, String message) {
        sink.accept(key, message);
    }

    protected void checkId(String key, Optional<Long> id) {
        if (id.isPresent() && id.get() < 1) {
            problem(key, "must be a positive Linode id, got " + id.get());
        }
    }

    protected void positive(String key, Duration d) {
        if (!TopologyBuilder.positive(d)) {
            problem(key, "must be positive");
        }
    }

    protected void checkPort(String key, int port) {
        if (port < 1 || port > 65535) {
            problem(key, "port " + port + " is outside 1-65535");
        }
    }

    protected void checkRuntimeApi(String key, String value) {
        if (value.startsWith("unix:") && value.length() > 5) {
            return;
        }
        if (value.startsWith("tcp:")
                && TopologyBuilder.parseHostPort(value.substring(4)).isPresent()) {
            return;
        }
        problem(key, "'" + value + "' is neither unix:/path nor tcp:address:port");
    }
}
