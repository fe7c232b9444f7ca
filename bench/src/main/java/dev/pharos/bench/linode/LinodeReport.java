package dev.pharos.bench.linode;

import dev.pharos.bench.linode.LinodeBench.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The Linode benchmark's results table: one row per scenario and number of instances. */
final class LinodeReport {
    private LinodeReport() {}

    static String table(List<Run> runs, String header, int storm, int limit, Duration window) {
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (Run r : runs) {
            groups.computeIfAbsent(r.scenario() + "|" + r.instances(), k -> new ArrayList<>())
                    .add(r);
        }
        StringBuilder s = new StringBuilder("# Linode under a tight rate limit\n\n");
        s.append(header)
                .append("RelayTopologyResource's three regions (HAProxy load balancers, two web")
                .append(" backends each, relay HAProxies) with their NodeBalancers and the Domain")
                .append(
                        " `example.test` (`cdn` round-robin, `europe` alias) in the Linode emulator,")
                .append(" which allows ")
                .append(limit)
                .append(" requests per ")
                .append(window.toSeconds())
                .append(" s per token (fixed windows, 429 with the seconds left as Retry-After)")
                .append(" and checks every exchange against Linode's API description. One Pharos")
                .append(
                        " process, or three peers of one cluster with one token (the first actuating; each with")
                .append(" `requests-per-minute` 160 / N, as docs/LINODE.md recommends for Linode's")
                .append(" own limit, so together above this tighter one), probing every 200 ms,")
                .append(" NodeBalancers read every 60 s (the default). First, 20 s after the")
                .append(" start, a quiet minute;")
                .append(" then per trial: europe's backends die (failover: europe out of")
                .append(" `cdn`, its alias to apac, its relay node `accept`) and come back (after")
                .append(" the 2 s hold-down); then a storm: every request answered 429 for ")
                .append(storm)
                .append(" s, europe's backends dying 5 s into it, and back after.\n\n")
                .append("Time: failover and recovery from the backends' change to Linode showing")
                .append(
                        " all of it (detection included: about 0.5 s); storm from the storm's end. Requests: every request the")
                .append(" emulator saw in that time, from every instance (writes, reads of a relay")
                .append(" node, answers 429). Early: requests sent on the token before the")
                .append(" Retry-After it was given had passed, more than 100 ms after the 429 (a")
                .append(" request already on its way when the 429 left is counted apart, as in")
                .append(" flight).\n\n")
                .append("| scenario | instances | trials | time, median | time, worst |")
                .append(" requests, median | writes, median | relay reads, median | 429s, all |")
                .append(" early, all | in flight, all |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
                .append(" ---: |\n");
        for (List<Run> g : groups.values()) {
            Run first = g.get(0);
            s.append("| ")
                    .append(first.scenario())
                    .append(" | ")
                    .append(first.instances())
                    .append(" | ")
                    .append(g.size())
                    .append(" | ")
                    .append(median(g, Run::millis))
                    .append(" ms | ")
                    .append(g.stream().mapToLong(Run::millis).max().orElse(0))
                    .append(" ms | ")
                    .append(median(g, Run::requests))
                    .append(" | ")
                    .append(median(g, Run::writes))
                    .append(" | ")
                    .append(median(g, Run::relayReads))
                    .append(" | ")
                    .append(g.stream().mapToInt(Run::rateLimited).sum())
                    .append(" | ")
                    .append(g.stream().mapToInt(Run::early).sum())
                    .append(" | ")
                    .append(g.stream().mapToInt(Run::earlyInFlight).sum())
                    .append(" |\n");
        }
        return s.toString();
    }

    private static long median(List<Run> g, ToLongFunction<Run> f) {
        long[] v = g.stream().mapToLong(f).sorted().toArray();
        return v[v.length / 2];
    }
}
