package dev.pharos.probe;

import java.time.Instant;
import java.util.Optional;

/**
 * One content check of one target of a region (its load balancer or a backend): the in-progress
 * marker, the trace file and the manifest, each fetched if configured.
 *
 * @param loadBalancer whether the target is the region's load balancer (its check is the vote)
 */
public record ContentCheck(
        String region,
        String targetId,
        String targetName,
        boolean loadBalancer,
        Instant at,
        Optional<ContentFetch> syncing,
        Optional<ContentFetch> trace,
        Optional<ContentFetch> manifest) {}
