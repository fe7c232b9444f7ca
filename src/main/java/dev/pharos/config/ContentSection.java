package dev.pharos.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * {@code pharos.content} and every region's {@code content} overrides, into {@link
 * ContentSettings}. A region is checked when it has a trace or a manifest path (its own or the
 * default) and is not disabled.
 */
final class ContentSection extends ConfigSection {
    /** An absolute path without blanks or control characters: it goes into a request line. */
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]*");

    private static final Pattern HOST = Pattern.compile("[\\x21-\\x7e]+");
    private static final int MAX_BODY_LIMIT = 16 * 1024 * 1024;

    ContentSection(PharosConfig config, BiConsumer<String, String> sink) {
        super(config, sink);
    }

    ContentSettings content(Map<String, Region> regions) {
        ContentConfig c = config.content();
        String key = "pharos.content.";
        ContentSettings.OnStale onStale =
                choice(key + "on-stale", ContentSettings.OnStale.class, c.onStale(), "policy")
                        .orElse(ContentSettings.OnStale.ALERT);
        Map<String, RegionContent> out = new LinkedHashMap<>();
        check(
                key,
                c.tracePath(),
                c.manifestPath(),
                c.syncingPath(),
                c.interval(),
                c.timeout(),
                c.connectTimeout(),
                c.maxBody(),
                c.warnAfter(),
                c.staleAfter(),
                c.host());
        for (Region region : regions.values()) {
            RegionsConfig.Region mapped = config.regions().get(region.name());
            if (mapped == null) {
                continue;
            }
            ContentOverrides o = mapped.content();
            String rkey = "pharos.regions." + region.name() + ".content.";
            Optional<String> trace = o.tracePath().or(c::tracePath);
            Optional<String> manifest = o.manifestPath().or(c::manifestPath);
            Optional<String> syncing = o.syncingPath().or(c::syncingPath);
            Duration interval = o.interval().orElse(c.interval());
            Duration timeout = o.timeout().orElse(c.timeout());
            Duration connect = o.connectTimeout().orElse(c.connectTimeout());
            int maxBody = o.maxBody().orElse(c.maxBody());
            Duration warn = o.warnAfter().orElse(c.warnAfter());
            Duration stale = o.staleAfter().orElse(c.staleAfter());
            Optional<String> host = o.host().or(c::host);
            boolean ownKeys =
                    o.tracePath().isPresent()
                            || o.manifestPath().isPresent()
                            || o.syncingPath().isPresent()
                            || o.interval().isPresent()
                            || o.timeout().isPresent()
                            || o.connectTimeout().isPresent()
                            || o.maxBody().isPresent()
                            || o.warnAfter().isPresent()
                            || o.staleAfter().isPresent()
                            || o.host().isPresent();
            if (ownKeys
                    && !check(
                            rkey,
                            o.tracePath(),
                            o.manifestPath(),
                            o.syncingPath(),
                            interval,
                            timeout,
                            connect,
                            maxBody,
                            warn,
                            stale,
                            o.host())) {
                continue;
            }
            if (!o.enabled().orElse(true) || (trace.isEmpty() && manifest.isEmpty())) {
                if (syncing.isPresent() && o.enabled().orElse(true)) {
                    problem(
                            rkey + "syncing-path",
                            "needs a trace-path or a manifest-path (an in-progress marker alone"
                                    + " says nothing about the content)");
                }
                continue;
            }
            Optional<Target> lb = region.loadBalancerV4().or(region::loadBalancerV6);
            if (lb.isEmpty()) {
                continue; // its load balancer's problem is reported by the regions
            }
            List<Target> backends = new ArrayList<>();
            if (o.backends().orElse(c.backends())) {
                region.backends()
                        .forEach(b -> backends.add(fetched(b, interval, timeout, connect, host)));
            }
            out.put(
                    region.name(),
                    new RegionContent(
                            region.name(),
                            trace,
                            manifest,
                            syncing,
                            interval,
                            warn,
                            stale,
                            maxBody,
                            fetched(lb.get(), interval, timeout, connect, host),
                            backends));
        }
        return new ContentSettings(onStale, out);
    }

    /** Checks one set of settings; false if any is invalid (each reported under its key). */
    private boolean check(
            String key,
            Optional<String> trace,
            Optional<String> manifest,
            Optional<String> syncing,
            Duration interval,
            Duration timeout,
            Duration connect,
            int maxBody,
            Duration warn,
            Duration stale,
            Optional<String> host) {
        int before = problems;
        path(key + "trace-path", trace);
        path(key + "manifest-path", manifest);
        path(key + "syncing-path", syncing);
        if (!positive(interval)) {
            report(key + "interval", "must be positive");
        }
        if (!positive(timeout)) {
            report(key + "timeout", "must be positive");
        } else if (positive(interval) && timeout.compareTo(interval) >= 0) {
            report(
                    key + "timeout",
                    human(timeout) + " must be shorter than the interval " + human(interval));
        }
        if (!positive(connect)) {
            report(key + "connect-timeout", "must be positive");
        } else if (positive(timeout) && connect.compareTo(timeout) > 0) {
            report(
                    key + "connect-timeout",
                    human(connect) + " must not exceed the timeout " + human(timeout));
        }
        if (maxBody < 1 || maxBody > MAX_BODY_LIMIT) {
            report(
                    key + "max-body",
                    "must be between 1 and " + MAX_BODY_LIMIT + ", got " + maxBody);
        }
        if (!positive(warn)) {
            report(key + "warn-after", "must be positive");
        }
        if (!positive(stale)) {
            report(key + "stale-after", "must be positive");
        } else if (positive(warn) && stale.compareTo(warn) <= 0) {
            report(
                    key + "stale-after",
                    human(stale) + " must be longer than warn-after " + human(warn));
        }
        if (host.isPresent() && !HOST.matcher(host.get()).matches()) {
            report(key + "host", "'" + host.get() + "' is not a valid Host header");
        }
        return problems == before;
    }

    private int problems;

    private void report(String key, String message) {
        problems++;
        problem(key, message);
    }

    private void path(String key, Optional<String> path) {
        if (path.isPresent() && !PATH.matcher(path.get()).matches()) {
            report(
                    key,
                    "'"
                            + path.get()
                            + "' is not an absolute path without blanks or control characters");
        }
    }

    /**
     * The target with the content check's interval, timeouts, Host header, any status, no body
     * check.
     */
    private static Target fetched(
            Target t,
            Duration interval,
            Duration timeout,
            Duration connect,
            Optional<String> host) {
        ProbeSpec p = t.probe();
        ProbeSpec spec =
                new ProbeSpec(
                        p.type(),
                        interval,
                        timeout,
                        connect,
                        interval,
                        p.rise(),
                        p.fall(),
                        "GET",
                        p.path(),
                        host.orElse(p.host()),
                        host.isPresent() && p.sni().isPresent() ? host : p.sni(),
                        StatusRanges.ANY_ANSWER,
                        Optional.empty(),
                        Optional.empty(),
                        p.tlsVerify(),
                        p.caFile(),
                        false,
                        Optional.empty(),
                        Optional.empty());
        String id = t.region().orElse("") + "/content/" + t.name();
        return new Target(
                id, t.kind(), t.region(), t.name(), t.family(), t.address(), t.port(), spec);
    }
}
