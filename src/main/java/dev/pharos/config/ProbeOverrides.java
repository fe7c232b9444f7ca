package dev.pharos.config;

import java.time.Duration;
import java.util.Optional;

/**
 * One target's overrides of the probe defaults ({@link ProbeConfig}, same keys), under the target's
 * own {@code probe:} key; every field optional.
 */
public interface ProbeOverrides {
    Optional<String> type();

    Optional<Duration> interval();

    Optional<Duration> timeout();

    Optional<Duration> connectTimeout();

    Optional<Duration> recheck();

    Optional<Integer> rise();

    Optional<Integer> fall();

    Optional<String> method();

    Optional<String> path();

    Optional<String> host();

    Optional<String> sni();

    Optional<String> expectStatus();

    Optional<String> body();

    Optional<String> bodyRegex();

    Optional<Boolean> tlsVerify();

    Optional<String> caFile();

    Optional<Boolean> followRedirects();

    Optional<String> send();

    Optional<String> expect();
}
