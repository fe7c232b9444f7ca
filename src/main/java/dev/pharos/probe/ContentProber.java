package dev.pharos.probe;

import dev.pharos.config.ContentSettings;
import dev.pharos.config.RegionContent;
import dev.pharos.config.Target;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A region's content check as a {@link Prober}, so the {@link ProbeScheduler} runs it on the
 * content interval like any probe: the marker, then the trace, then the manifest, one after the
 * other on new connections. The whole check goes to the {@link ContentSink}; the scheduler gets the
 * first failed fetch's result (or the last one's), which only sets its re-check pace.
 */
public final class ContentProber implements Prober {
    private record Job(RegionContent region, boolean loadBalancer) {}

    private final ContentFetcher fetcher;
    private final ContentSink sink;
    private final Clock clock;
    private final Map<String, Job> jobs = new HashMap<>();

    public ContentProber(
            ContentSettings settings, ContentFetcher fetcher, ContentSink sink, Clock clock) {
        this.fetcher = fetcher;
        this.sink = sink;
        this.clock = clock;
        for (RegionContent r : settings.regions().values()) {
            jobs.put(r.loadBalancer().id(), new Job(r, true));
            r.backends().forEach(b -> jobs.put(b.id(), new Job(r, false)));
        }
    }

    @Override
    public Future<ProbeResult> probe(Target target) {
        Job job = jobs.get(target.id());
        if (job == null) {
            throw new IllegalArgumentException("no content check for " + target.id());
        }
        return check(target, job, clock.instant())
                .map(
                        check -> {
                            sink.accept(check);
                            return summary(check);
                        });
    }

    private Future<ContentCheck> check(Target target, Job job, Instant at) {
        RegionContent r = job.region();
        Future<Optional<ContentFetch>> syncing = fetch(target, r.syncingPath(), r.maxBody());
        Future<Optional<ContentFetch>> trace =
                syncing.compose(x -> fetch(target, r.tracePath(), r.maxBody()));
        Future<Optional<ContentFetch>> manifest =
                trace.compose(x -> fetch(target, r.manifestPath(), r.maxBody()));
        return manifest.map(
                m ->
                        new ContentCheck(
                                r.region(),
                                target.id(),
                                target.name(),
                                job.loadBalancer(),
                                at,
                                syncing.result(),
                                trace.result(),
                                m));
    }

    private Future<Optional<ContentFetch>> fetch(Target t, Optional<String> path, int maxBody) {
        if (path.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return fetcher.fetch(t, path.get(), maxBody).map(Optional::of);
    }

    private static ProbeResult summary(ContentCheck c) {
        ProbeResult last = null;
        for (Optional<ContentFetch> f : List.of(c.syncing(), c.trace(), c.manifest())) {
            if (f.isPresent()) {
                last = f.get().result();
                if (!last.success()) {
                    return last;
                }
            }
        }
        return last;
    }
}
