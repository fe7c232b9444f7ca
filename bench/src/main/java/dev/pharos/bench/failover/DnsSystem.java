package dev.pharos.bench.failover;

import java.util.List;

/**
 * One system under test: what serves {@code cdn.example.test} and how it decides. {@code servers}
 * are the names the querier watches it by (three for a Pharos set with embedded DNS, one for the
 * others); {@code restarted} is the server whose answers the restart scenario judges, and {@code
 * restartNote} says what is restarted.
 */
record DnsSystem(
        String id,
        String label,
        String settings,
        List<String> servers,
        String restarted,
        String restartNote) {}
