package dev.pharos.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Who writes to the external actuators: {@code node.actuate}, or the holder of an etcd lease. */
final class CoordinationSection extends ConfigSection {
    private static final String KEY = "pharos.coordination.";

    CoordinationSection(PharosConfig config, BiConsumer<String, String> sink) {
        super(config, sink);
    }

    CoordinationSettings coordination() {
        CoordinationConfig c = config.coordination();
        Optional<CoordinationSettings.Provider> provider =
                choice(
                        KEY + "provider",
                        CoordinationSettings.Provider.class,
                        c.provider(),
                        "coordination provider");
        if (provider.isEmpty() || provider.get() == CoordinationSettings.Provider.NONE) {
            return CoordinationSettings.NONE;
        }
        CoordinationConfig.Etcd e = c.etcd();
        String key = KEY + "etcd.";
        List<URI> endpoints = new ArrayList<>();
        List<String> given = e.endpoints().orElse(List.of());
        if (given.isEmpty()) {
            problem(key + "endpoints", "required with coordination provider etcd");
        }
        for (int i = 0; i < given.size(); i++) {
            endpoint(key + "endpoints[" + i + "]", given.get(i)).ifPresent(endpoints::add);
        }
        if (!e.key().startsWith("/") || e.key().isBlank()) {
            problem(key + "key", "must start with '/', got '" + e.key() + "'");
        }
        Duration ttl = e.leaseTtl();
        if (ttl == null || ttl.toMillis() % 1000 != 0 || ttl.toSeconds() < 2) {
            problem(
                    key + "lease-ttl",
                    "must be whole seconds, at least 2s (etcd leases count seconds), got "
                            + (ttl == null ? "nothing" : human(ttl)));
        }
        Optional<Secret> password = Secret.of(e.password());
        if (e.username().isPresent() != password.isPresent()) {
            problem(
                    key + "password",
                    "username and password go together (set PHAROS_COORDINATION_ETCD_PASSWORD)");
        }
        if (e.certFile().isPresent() != e.keyFile().isPresent()) {
            problem(key + "key-file", "cert-file and key-file go together");
        }
        Optional<Path> ca = file(key + "ca-file", e.caFile());
        Optional<Path> cert = file(key + "cert-file", e.certFile());
        Optional<Path> pk = file(key + "key-file", e.keyFile());
        boolean https = endpoints.stream().anyMatch(u -> "https".equals(u.getScheme()));
        boolean http = endpoints.stream().anyMatch(u -> "http".equals(u.getScheme()));
        if (https && http) {
            problem(key + "endpoints", "mixes http and https; use one for every member");
        }
        if (!https && (ca.isPresent() || cert.isPresent())) {
            problem(key + "ca-file", "TLS files are given but every endpoint is http");
        }
        return new CoordinationSettings(
                CoordinationSettings.Provider.ETCD,
                Optional.of(
                        new CoordinationSettings.Etcd(
                                endpoints,
                                e.key(),
                                ttl == null ? Duration.ofSeconds(10) : ttl,
                                e.username(),
                                password,
                                ca,
                                cert,
                                pk)));
    }

    private Optional<URI> endpoint(String key, String text) {
        try {
            URI u = new URI(text);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    && u.getHost() != null
                    && u.getPort() > 0) {
                return Optional.of(u);
            }
        } catch (URISyntaxException ex) {
            // reported below
        }
        problem(key, "'" + text + "' is not an http(s) URL with a host and a port");
        return Optional.empty();
    }

    private Optional<Path> file(String key, Optional<String> name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(name.get());
        if (!Files.isReadable(p)) {
            problem(key, "cannot read '" + name.get() + "'");
            return Optional.empty();
        }
        return Optional.of(p);
    }
}
