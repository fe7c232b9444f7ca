package dev.pharos.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Applies one target's probe overrides to the defaults and validates the result. The defaults are
 * validated once on their own keys ({@code pharos.probe.*}); a target's merge reports only the
 * values it overrides, on its own keys.
 */
final class ProbeSpecMerger {
    private static final String DEFAULTS = "pharos.probe";

    private final ProbeConfig d;
    private final Duration staleAfter;
    private final BiConsumer<String, String> sink;

    /**
     * @param staleAfter {@code pharos.quorum.stale-after}: a target's interval plus timeout must be
     *     shorter, or its votes go stale between two probes (the defaults are checked against it in
     *     {@link QuorumSection}, each target's overrides here)
     */
    ProbeSpecMerger(ProbeConfig defaults, Duration staleAfter, BiConsumer<String, String> sink) {
        this.d = defaults;
        this.staleAfter = staleAfter;
        this.sink = sink;
    }

    void validateDefaults() {
        new Merge(DEFAULTS, Optional.empty()).spec("", TargetKind.BACKEND, false);
    }

    /**
     * Merges the defaults with one target's overrides and validates the result; a problem is
     * reported on the override's key if the target overrides the value, else on the default's.
     */
    Optional<ProbeSpec> merge(
            String probeKey,
            ProbeOverrides overrides,
            String addressText,
            TargetKind kind,
            boolean lbWithBackends) {
        return new Merge(probeKey, Optional.of(overrides)).spec(addressText, kind, lbWithBackends);
    }

    /**
     * One setting as a target sees it.
     *
     * @param key the key a problem with it names: the override's if the target sets it
     * @param overridden whether the target sets it
     * @param reported whether this merge reports its problems: the target sets it, or this is the
     *     merge that validates the defaults themselves
     */
    private record Field<T>(T value, String key, boolean overridden, boolean reported) {}

    /** One target's merge (or the defaults' own validation, without overrides). */
    private final class Merge {
        private final String probeKey;
        private final Optional<ProbeOverrides> o;
        private final boolean defaults;
        private int problems;

        Merge(String probeKey, Optional<ProbeOverrides> o) {
            this.probeKey = probeKey;
            this.o = o;
            this.defaults = o.isEmpty();
        }

        /** The value from the most specific level that sets it: the override, else the default. */
        <T> Field<T> field(
                String name, Function<ProbeOverrides, Optional<T>> override, T fallback) {
            Optional<T> set = o.flatMap(override);
            return set.isPresent()
                    ? new Field<>(set.get(), probeKey + "." + name, true, true)
                    : new Field<>(fallback, DEFAULTS + "." + name, false, defaults);
        }

        /** The same for a setting that may be unset at every level. */
        <T> Field<Optional<T>> optional(
                String name, Function<ProbeOverrides, Optional<T>> override, Optional<T> fallback) {
            return field(name, o -> override.apply(o).map(Optional::of), fallback);
        }

        private void problem(String key, String message) {
            problems++;
            sink.accept(key, message);
        }

        Optional<ProbeSpec> spec(String addressText, TargetKind kind, boolean lbWithBackends) {
            Field<String> typeText = field("type", ProbeOverrides::type, d.type());
            Optional<ProbeType> type = ProbeType.parse(typeText.value());
            if (type.isEmpty() && typeText.reported()) {
                problem(
                        typeText.key(),
                        "unknown probe type '" + typeText.value() + "' (http, https, tcp)");
            }
            Field<Duration> interval = field("interval", ProbeOverrides::interval, d.interval());
            Field<Duration> timeout = field("timeout", ProbeOverrides::timeout, d.timeout());
            Field<Duration> connect =
                    field("connect-timeout", ProbeOverrides::connectTimeout, d.connectTimeout());
            Field<Duration> recheck = field("recheck", ProbeOverrides::recheck, d.recheck());
            checkTimes(interval, timeout, connect, recheck);
            Field<Integer> rise = field("rise", ProbeOverrides::rise, d.rise());
            Field<Integer> fall = field("fall", ProbeOverrides::fall, d.fall());
            for (Field<Integer> f : List.of(rise, fall)) {
                if (f.value() < 1 && f.reported()) {
                    problem(f.key(), "must be at least 1, got " + f.value());
                }
            }
            Field<String> method = field("method", ProbeOverrides::method, d.method());
            String methodName = method.value().toUpperCase(Locale.ROOT);
            if (!methodName.matches("[A-Z]+") && method.reported()) {
                problem(method.key(), "'" + methodName + "' is not an HTTP method");
            }
            Field<String> path = field("path", ProbeOverrides::path, d.path());
            if (!path.value().startsWith("/") && path.reported()) {
                problem(path.key(), "'" + path.value() + "' must start with /");
            }
            if (path.value().chars().anyMatch(ch -> ch <= ' ') && path.reported()) {
                problem(path.key(), "must not contain spaces or control characters");
            }
            Field<Optional<String>> host = optional("host", ProbeOverrides::host, d.host());
            if (host.value().filter(h -> h.chars().anyMatch(ch -> ch <= ' ')).isPresent()
                    && host.reported()) {
                problem(host.key(), "must not contain spaces or control characters");
            }
            Optional<String> sni =
                    optional("sni", ProbeOverrides::sni, d.sni()).value().or(host::value);
            StatusRanges status = status(kind, lbWithBackends);
            Optional<Pattern> regex = bodyRegex();
            Field<Optional<String>> caFile =
                    optional("ca-file", ProbeOverrides::caFile, d.caFile());
            if (caFile.value().filter(f -> !Files.isReadable(Path.of(f))).isPresent()
                    && caFile.reported()) {
                problem(caFile.key(), "cannot read '" + caFile.value().get() + "'");
            }
            Field<Optional<String>> send = optional("send", ProbeOverrides::send, d.send());
            Field<Optional<String>> expect = optional("expect", ProbeOverrides::expect, d.expect());
            if (type.isPresent()
                    && type.get() != ProbeType.TCP
                    && (send.overridden() || expect.overridden())) {
                problem(
                        send.overridden() ? send.key() : expect.key(),
                        "only tcp probes send or expect raw bytes");
            }
            if (problems > 0 || type.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(
                    new ProbeSpec(
                            type.get(),
                            interval.value(),
                            timeout.value(),
                            connect.value(),
                            recheck.value(),
                            rise.value(),
                            fall.value(),
                            methodName,
                            path.value(),
                            host.value().orElse(addressText),
                            sni,
                            status,
                            optional("body", ProbeOverrides::body, d.body()).value(),
                            regex,
                            field("tls-verify", ProbeOverrides::tlsVerify, d.tlsVerify()).value(),
                            caFile.value().map(Path::of),
                            field(
                                            "follow-redirects",
                                            ProbeOverrides::followRedirects,
                                            d.followRedirects())
                                    .value(),
                            send.value().map(ProbeSpecMerger::unescape),
                            expect.value().map(ProbeSpecMerger::unescape)));
        }

        private void checkTimes(
                Field<Duration> interval,
                Field<Duration> timeout,
                Field<Duration> connect,
                Field<Duration> recheck) {
            if (!ConfigSection.positive(interval.value()) && interval.reported()) {
                problem(interval.key(), "must be positive, got " + interval.value());
            }
            if (!ConfigSection.positive(timeout.value()) && timeout.reported()) {
                problem(timeout.key(), "must be positive, got " + timeout.value());
            } else if (ConfigSection.positive(interval.value())
                    && timeout.value().compareTo(interval.value()) >= 0
                    && (timeout.reported() || interval.reported())) {
                problem(
                        interval.overridden() ? interval.key() : timeout.key(),
                        "timeout "
                                + ConfigSection.human(timeout.value())
                                + " must be shorter than the interval "
                                + ConfigSection.human(interval.value()));
            }
            Duration slowest = interval.value().plus(timeout.value());
            if (!defaults
                    && (interval.overridden() || timeout.overridden())
                    && ConfigSection.positive(interval.value())
                    && ConfigSection.positive(timeout.value())
                    && timeout.value().compareTo(interval.value()) < 0
                    && staleAfter.compareTo(slowest) <= 0) {
                problem(
                        interval.overridden() ? interval.key() : timeout.key(),
                        "interval "
                                + ConfigSection.human(interval.value())
                                + " plus timeout "
                                + ConfigSection.human(timeout.value())
                                + " must be shorter than pharos.quorum.stale-after "
                                + ConfigSection.human(staleAfter)
                                + ", or this target's votes go stale between probes");
            }
            if (!ConfigSection.positive(connect.value()) && connect.reported()) {
                problem(connect.key(), "must be positive, got " + connect.value());
            } else if (connect.value().compareTo(timeout.value()) > 0
                    && (connect.reported() || timeout.reported())) {
                problem(
                        connect.key(),
                        "connect timeout "
                                + ConfigSection.human(connect.value())
                                + " must not exceed the timeout "
                                + ConfigSection.human(timeout.value()));
            }
            if (!ConfigSection.positive(recheck.value()) && recheck.reported()) {
                problem(recheck.key(), "must be positive, got " + recheck.value());
            } else if (recheck.value().compareTo(interval.value()) > 0 && recheck.reported()) {
                problem(
                        recheck.key(),
                        "recheck "
                                + ConfigSection.human(recheck.value())
                                + " must not exceed the interval "
                                + ConfigSection.human(interval.value()));
            }
        }

        /** Accepted statuses: as set, else what the kind of target answers when it is up. */
        private StatusRanges status(TargetKind kind, boolean lbWithBackends) {
            Field<Optional<String>> text =
                    optional("expect-status", ProbeOverrides::expectStatus, d.expectStatus());
            if (text.value().isEmpty()) {
                return kind == TargetKind.RELAY
                                || (kind == TargetKind.LOAD_BALANCER && lbWithBackends)
                        ? StatusRanges.ANY_ANSWER
                        : StatusRanges.SUCCESS_OR_REDIRECT;
            }
            Optional<StatusRanges> parsed = StatusRanges.parse(text.value().get());
            if (parsed.isEmpty() && text.reported()) {
                problem(
                        text.key(),
                        "'"
                                + text.value().get()
                                + "' is not a list of statuses or ranges within 100-599");
            }
            return parsed.orElse(StatusRanges.SUCCESS_OR_REDIRECT);
        }

        private Optional<Pattern> bodyRegex() {
            Field<Optional<String>> text =
                    optional("body-regex", ProbeOverrides::bodyRegex, d.bodyRegex());
            if (text.value().isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Pattern.compile(text.value().get()));
            } catch (PatternSyntaxException e) {
                if (text.reported()) {
                    problem(text.key(), "not a valid regular expression: " + e.getDescription());
                }
                return Optional.empty();
            }
        }
    }

    /** Decodes \\r, \\n, \\t, \\\\ and \\xHH in tcp send/expect strings. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    if (i + 2 < s.length() && s.substring(i + 1, i + 3).matches("[0-9a-fA-F]{2}")) {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else {
                        out.append("\\x");
                    }
                }
                default -> out.append('\\').append(n);
            }
        }
        return out.toString();
    }
}
