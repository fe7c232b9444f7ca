package dev.pharos.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
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
    private final PharosConfig.ProbeDefaults d;
    private final BiConsumer<String, String> sink;
    private int count;

    ProbeSpecMerger(PharosConfig.ProbeDefaults defaults, BiConsumer<String, String> sink) {
        this.d = defaults;
        this.sink = sink;
    }

    void validateDefaults() {
        merge("pharos.probe", EMPTY, "", TargetKind.BACKEND, false);
    }

    private void problem(String key, String message) {
        count++;
        sink.accept(key, message);
    }

    /**
     * Merges the defaults with one target's overrides and validates the result; a problem is
     * reported on the override's key if the target overrides the value, else on the default's.
     */
    Optional<ProbeSpec> merge(
            String probeKey,
            PharosConfig.ProbeOverrides o,
            String addressText,
            TargetKind kind,
            boolean lbWithBackends) {
        int before = count;
        Function<String, String> keyOf =
                field -> overridden(o, field) ? probeKey + "." + field : "pharos.probe." + field;

        String typeText = o.type().orElse(d.type());
        Optional<ProbeType> type = ProbeType.parse(typeText);
        if (type.isEmpty() && (overridden(o, "type") || "pharos.probe".equals(probeKey))) {
            problem(
                    keyOf.apply("type"),
                    "unknown probe type '" + typeText + "' (http, https, tcp)");
        }
        Duration interval = o.interval().orElse(d.interval());
        Duration timeout = o.timeout().orElse(d.timeout());
        Duration connect = o.connectTimeout().orElse(d.connectTimeout());
        Duration recheck = o.recheck().orElse(d.recheck());
        int rise = o.rise().orElse(d.rise());
        int fall = o.fall().orElse(d.fall());
        boolean report = "pharos.probe".equals(probeKey);
        if (TopologyBuilder.positive(interval) == false && (report || overridden(o, "interval"))) {
            problem(keyOf.apply("interval"), "must be positive, got " + interval);
        }
        if (!TopologyBuilder.positive(timeout) && (report || overridden(o, "timeout"))) {
            problem(keyOf.apply("timeout"), "must be positive, got " + timeout);
        } else if (TopologyBuilder.positive(interval)
                && timeout.compareTo(interval) >= 0
                && (report || overridden(o, "timeout") || overridden(o, "interval"))) {
            problem(
                    keyOf.apply(overridden(o, "interval") ? "interval" : "timeout"),
                    "timeout "
                            + TopologyBuilder.human(timeout)
                            + " must be shorter than the interval "
                            + TopologyBuilder.human(interval));
        }
        if (!TopologyBuilder.positive(connect) && (report || overridden(o, "connect-timeout"))) {
            problem(keyOf.apply("connect-timeout"), "must be positive, got " + connect);
        } else if (connect.compareTo(timeout) > 0
                && (report || overridden(o, "connect-timeout") || overridden(o, "timeout"))) {
            problem(
                    keyOf.apply("connect-timeout"),
                    "connect timeout "
                            + TopologyBuilder.human(connect)
                            + " must not exceed the timeout "
                            + TopologyBuilder.human(timeout));
        }
        if (!TopologyBuilder.positive(recheck) && (report || overridden(o, "recheck"))) {
            problem(keyOf.apply("recheck"), "must be positive, got " + recheck);
        } else if (recheck.compareTo(interval) > 0 && (report || overridden(o, "recheck"))) {
            problem(
                    keyOf.apply("recheck"),
                    "recheck "
                            + TopologyBuilder.human(recheck)
                            + " must not exceed the interval "
                            + TopologyBuilder.human(interval));
        }
        if (rise < 1 && (report || overridden(o, "rise"))) {
            problem(keyOf.apply("rise"), "must be at least 1, got " + rise);
        }
        if (fall < 1 && (report || overridden(o, "fall"))) {
            problem(keyOf.apply("fall"), "must be at least 1, got " + fall);
        }
        String method = o.method().orElse(d.method()).toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+") && (report || overridden(o, "method"))) {
            problem(keyOf.apply("method"), "'" + method + "' is not an HTTP method");
        }
        String path = o.path().orElse(d.path());
        if (!path.startsWith("/") && (report || overridden(o, "path"))) {
            problem(keyOf.apply("path"), "'" + path + "' must start with /");
        }
        if (path.chars().anyMatch(ch -> ch <= ' ') && (report || overridden(o, "path"))) {
            problem(keyOf.apply("path"), "must not contain spaces or control characters");
        }
        Optional<String> hostOpt = o.host().or(d::host);
        if (hostOpt.isPresent()
                && hostOpt.get().chars().anyMatch(ch -> ch <= ' ')
                && (report || overridden(o, "host"))) {
            problem(keyOf.apply("host"), "must not contain spaces or control characters");
        }
        String host = hostOpt.orElse(addressText);
        Optional<String> sni = o.sni().or(d::sni).or(() -> hostOpt);
        Optional<String> statusText = o.expectStatus().or(d::expectStatus);
        StatusRanges status =
                statusText.isPresent()
                        ? StatusRanges.parse(statusText.get()).orElse(null)
                        : (kind == TargetKind.RELAY
                                        || (kind == TargetKind.LOAD_BALANCER && lbWithBackends)
                                ? StatusRanges.ANY_ANSWER
                                : StatusRanges.SUCCESS_OR_REDIRECT);
        if (status == null) {
            if (report || overridden(o, "expect-status")) {
                problem(
                        keyOf.apply("expect-status"),
                        "'"
                                + statusText.get()
                                + "' is not a list of statuses or ranges within 100-599");
            }
            status = StatusRanges.SUCCESS_OR_REDIRECT;
        }
        Optional<String> regexText = o.bodyRegex().or(d::bodyRegex);
        Optional<Pattern> regex = Optional.empty();
        if (regexText.isPresent()) {
            try {
                regex = Optional.of(Pattern.compile(regexText.get()));
            } catch (PatternSyntaxException e) {
                if (report || overridden(o, "body-regex")) {
                    problem(
                            keyOf.apply("body-regex"),
                            "not a valid regular expression: " + e.getDescription());
                }
            }
        }
        Optional<String> caFile = o.caFile().or(d::caFile);
        if (caFile.isPresent()
                && !java.nio.file.Files.isReadable(Path.of(caFile.get()))
                && (report || overridden(o, "ca-file"))) {
            problem(keyOf.apply("ca-file"), "cannot read '" + caFile.get() + "'");
        }
        Optional<String> send = o.send().or(d::send).map(ProbeSpecMerger::unescape);
        Optional<String> expect = o.expect().or(d::expect).map(ProbeSpecMerger::unescape);
        if (type.isPresent()
                && type.get() != ProbeType.TCP
                && (o.send().isPresent() || o.expect().isPresent())) {
            problem(
                    probeKey + "." + (o.send().isPresent() ? "send" : "expect"),
                    "only tcp probes send or expect raw bytes");
        }
        if (count > before || type.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new ProbeSpec(
                        type.get(),
                        interval,
                        timeout,
                        connect,
                        recheck,
                        rise,
                        fall,
                        method,
                        path,
                        host,
                        sni,
                        status,
                        o.body().or(d::body),
                        regex,
                        o.tlsVerify().orElse(d.tlsVerify()),
                        caFile.map(Path::of),
                        o.followRedirects().orElse(d.followRedirects()),
                        send,
                        expect));
    }

    private static boolean overridden(PharosConfig.ProbeOverrides o, String field) {
        return switch (field) {
            case "type" -> o.type().isPresent();
            case "interval" -> o.interval().isPresent();
            case "timeout" -> o.timeout().isPresent();
            case "connect-timeout" -> o.connectTimeout().isPresent();
            case "recheck" -> o.recheck().isPresent();
            case "rise" -> o.rise().isPresent();
            case "fall" -> o.fall().isPresent();
            case "method" -> o.method().isPresent();
            case "path" -> o.path().isPresent();
            case "host" -> o.host().isPresent();
            case "expect-status" -> o.expectStatus().isPresent();
            case "body-regex" -> o.bodyRegex().isPresent();
            case "ca-file" -> o.caFile().isPresent();
            default -> false;
        };
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

    private static final PharosConfig.ProbeOverrides EMPTY = new EmptyOverrides();

    private static final class EmptyOverrides implements PharosConfig.ProbeOverrides {
        @Override
        public Optional<String> type() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> interval() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> timeout() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> recheck() {
            return Optional.empty();
        }

        @Override
        public OptionalInt rise() {
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt fall() {
            return OptionalInt.empty();
        }

        @Override
        public Optional<String> method() {
            return Optional.empty();
        }

        @Override
        public Optional<String> path() {
            return Optional.empty();
        }

        @Override
        public Optional<String> host() {
            return Optional.empty();
        }

        @Override
        public Optional<String> sni() {
            return Optional.empty();
        }

        @Override
        public Optional<String> expectStatus() {
            return Optional.empty();
        }

        @Override
        public Optional<String> body() {
            return Optional.empty();
        }

        @Override
        public Optional<String> bodyRegex() {
            return Optional.empty();
        }

        @Override
        public Optional<Boolean> tlsVerify() {
            return Optional.empty();
        }

        @Override
        public Optional<String> caFile() {
            return Optional.empty();
        }

        @Override
        public Optional<Boolean> followRedirects() {
            return Optional.empty();
        }

        @Override
        public Optional<String> send() {
            return Optional.empty();
        }

        @Override
        public Optional<String> expect() {
            return Optional.empty();
        }
    }
}
