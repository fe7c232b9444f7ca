package dev.pharos.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.actuator.dns.VerifyReport;
import dev.pharos.domain.RecordSet;
import java.time.Instant;
import java.util.List;

/**
 * An actuator as the API shows it.
 *
 * @param applying whether this instance applies plans to it (actuate flag or its own embedded
 *     server, and not a dry run)
 * @param published what a DNS provider published at the last read (absent for relays)
 * @param plan the pending changes at the last read, in words
 * @param lastError the last run's error, else a problem that did not fail it (a change not seen
 *     propagating)
 * @param lastPropagationMs the last measured DNS propagation time
 * @param verifying a DNS change is being verified now, beside the loop
 * @param verification each authoritative server's result for the last verified DNS change
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
        int consecutiveFailures,
        boolean verifying,
        List<VerifyReport.Server> verification) {}
