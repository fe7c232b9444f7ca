package dev.pharos.observation;

import dev.pharos.config.Topology;
import dev.pharos.probe.ContentCheck;
import dev.pharos.probe.ContentSink;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This vantage point's content checks: the latest of every target (load balancers and backends),
 * and its votes on every checked region, judged from the load balancers' by {@link ContentJudge}.
 * Checks arrive on event loops; votes are read by the pipeline and the snapshot.
 */
@Singleton
public class OwnContent implements ContentSink {
    private final Clock clock;
    private final ContentJudge judge;
    private final Map<String, ContentCheck> latest = new ConcurrentHashMap<>();
    private Map<String, ContentVote> votes = Map.of();

    @Inject
    public OwnContent(Topology topology, Clock clock) {
        this.clock = clock;
        this.judge = new ContentJudge(topology.content().regions());
    }

    @Override
    public void accept(ContentCheck check) {
        latest.put(check.targetId(), check);
    }

    /** The votes now, judged again (time alone can turn a region LAGGING or STALE). */
    public synchronized Map<String, ContentVote> votes() {
        return votes(clock.instant());
    }

    public synchronized Map<String, ContentVote> votes(Instant now) {
        Map<String, ContentReading> readings = new LinkedHashMap<>();
        for (ContentCheck c : latest.values()) {
            if (c.loadBalancer()) {
                readings.put(c.region(), ContentReading.of(c));
            }
        }
        votes = judge.judge(readings, now);
        return votes;
    }

    /** The latest checks of a region's targets, the load balancer first. */
    public List<ContentCheck> checks(String region) {
        return latest.values().stream()
                .filter(c -> c.region().equals(region))
                .sorted((a, b) -> Boolean.compare(b.loadBalancer(), a.loadBalancer()))
                .toList();
    }
}
