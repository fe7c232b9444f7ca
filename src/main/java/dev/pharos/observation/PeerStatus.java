package dev.pharos.observation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One peer's reachability and staleness, as status and metrics show it.
 *
 * @param reachable its latest snapshot arrived within stale-after
 * @param lastSeenAgoMs time since its latest snapshot arrived; null if none ever did
 * @param via how the latest snapshot arrived: pull or push
 * @param instance the peer process's instance id (changes when it restarts)
 * @param round the latest snapshot's round
 * @param lastError the latest failed pull or push, e.g. "pull: no answer within 500 ms"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PeerStatus(
        String name,
        String url,
        boolean reachable,
        Long lastSeenAgoMs,
        String via,
        String instance,
        Long round,
        Boolean abstaining,
        String lastError,
        Long lastErrorAgoMs) {}
