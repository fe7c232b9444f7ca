package dev.pharos.reconcile;

import dev.pharos.actuator.dns.VerifyReport;
import dev.pharos.domain.RecordSet;
import java.time.Instant;
import java.util.List;

/**
 * What a step last saw and did, for the status API.
 *
 * @param published what a DNS provider published at the last read (null for relays)
 * @param plan the changes pending at the last read, in words
 * @param warning a problem that did not fail the run (a change applied but not seen propagating)
 * @param lastPropagationMs the last measured DNS propagation time
 * @param verifying a change is being verified now (beside the loop)
 * @param verification each authoritative server's result for the last verified change (null for
 *     relays and before the first)
 */
public record StepReport(
        List<RecordSet> published,
        List<String> plan,
        Instant lastReadAt,
        Instant lastApplyAt,
        String warning,
        Long lastPropagationMs,
        boolean verifying,
        List<VerifyReport.Server> verification) {}
