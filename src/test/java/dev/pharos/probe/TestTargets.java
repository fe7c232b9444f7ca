package dev.pharos.probe;

import dev.pharos.config.Family;
import dev.pharos.config.IpLiterals;
import dev.pharos.config.ProbeSpec;
import dev.pharos.config.ProbeType;
import dev.pharos.config.StatusRanges;
import dev.pharos.config.Target;
import dev.pharos.config.TargetKind;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Builds targets for prober tests without going through configuration. */
final class TestTargets {
    private TestTargets() {}

    static Spec http() {
        return new Spec(ProbeType.HTTP);
    }

    static Spec https() {
        return new Spec(ProbeType.HTTPS);
    }

    static Spec tcp() {
        return new Spec(ProbeType.TCP);
    }

    /** Waits for a probe; generous, since a probe enforces its own timeout. */
    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static final class Spec {
        private final ProbeType type;
        private Duration timeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private String method = "GET";
        private String path = "/";
        private Optional<String> host = Optional.empty();
        private Optional<String> sni = Optional.empty();
        private StatusRanges status = StatusRanges.SUCCESS_OR_REDIRECT;
        private Optional<String> body = Optional.empty();
        private Optional<Pattern> bodyRegex = Optional.empty();
        private boolean tlsVerify = true;
        private Optional<Path> caFile = Optional.empty();
        private boolean followRedirects;
        private Optional<String> send = Optional.empty();
        private Optional<String> expect = Optional.empty();

        private Spec(ProbeType type) {
            this.type = type;
        }

        Spec timeout(Duration d) {
            timeout = d;
            return this;
        }

        Spec connectTimeout(Duration d) {
            connectTimeout = d;
            return this;
        }

        Spec method(String m) {
            method = m;
            return this;
        }

        Spec path(String p) {
            path = p;
            return this;
        }

        /** Also the SNI, as configuration defaults it, unless {@link #sni} says otherwise. */
        Spec host(String h) {
            host = Optional.of(h);
            return this;
        }

        Spec sni(String s) {
            sni = Optional.of(s);
            return this;
        }

        Spec expectStatus(String text) {
            status = StatusRanges.parse(text).orElseThrow();
            return this;
        }

        Spec body(String text) {
            body = Optional.of(text);
            return this;
        }

        Spec bodyRegex(String regex) {
            bodyRegex = Optional.of(Pattern.compile(regex));
            return this;
        }

        Spec tlsVerify(boolean verify) {
            tlsVerify = verify;
            return this;
        }

        Spec caFile(Path file) {
            caFile = Optional.of(file);
            return this;
        }

        Spec followRedirects() {
            followRedirects = true;
            return this;
        }

        Spec send(String text) {
            send = Optional.of(text);
            return this;
        }

        Spec expect(String text) {
            expect = Optional.of(text);
            return this;
        }

        Target target(InetAddress address, int port) {
            ProbeSpec spec =
                    new ProbeSpec(
                            type,
                            timeout.multipliedBy(2),
                            timeout,
                            connectTimeout.compareTo(timeout) > 0 ? timeout : connectTimeout,
                            timeout,
                            1,
                            1,
                            method,
                            path,
                            host.orElse(IpLiterals.toText(address)),
                            sni.or(() -> host),
                            status,
                            body,
                            bodyRegex,
                            tlsVerify,
                            caFile,
                            followRedirects,
                            send,
                            expect);
            return new Target(
                    "test/backend/" + IpLiterals.toText(address) + "-" + port,
                    TargetKind.BACKEND,
                    Optional.of("test"),
                    "web",
                    Family.IPV4,
                    address,
                    port,
                    spec);
        }
    }
}
