package dev.pharos.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.domain.RecordSet;
import java.time.Instant;
import java.util.List;

/**
 * An actuator as the API shows it.
 *
 * @param applying whether this instance applies plans to it (actuate flag, not dry run)
 * @param published what the provider published at the last read
 * @param plan the pending changes at the last read, in words
 * @param lastPropagationMs the last measured propagation time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActuatorStatus(
        String name,
        boolean applying,
        boolean dryRun,
        boolean stopped,
        String stoppedBecause,
        List<RecordSet> published,
        List<String> plan,
        Instant lastReadAt,
        Instant lastApplyAt,
        String lastError,
        Long lastPropagationMs,
        int consecutiveFailures) {}
