package dev.pharos.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One journal line.
 *
 * @param seq strictly increasing, also across restarts
 * @param node the vantage point that wrote it
 * @param region the region concerned, if any
 * @param target the target concerned, if any
 * @param data structured evidence (verdicts and voters, plans, errors); never secrets
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEvent(
        long seq,
        Instant time,
        String node,
        EventType type,
        Severity severity,
        String region,
        String target,
        String message,
        Map<String, Object> data) {}
