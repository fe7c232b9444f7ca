package dev.pharos.bench.failover;

/**
 * What one system did in one trial. Times are ms from the fault (detection) or from the revival
 * (recovery), NaN when it did not happen within the trial; counts are summed over the system's
 * servers (a Pharos set with embedded DNS has three, each polled every 50 ms).
 *
 * @param detectMs fault to the first authoritative answer without the dead address, on the last of
 *     the system's servers to get there
 * @param recoverMs revival to the first answer with every region again, on the last server
 * @param wrong answers that were wrong: a dead address after that server had dropped it, an empty
 *     answer or an error; in the steady scenarios, any answer without every region
 * @param falseChanges answer changes nothing called for: any change at rest or in a steady
 *     scenario, a change during a fault that does more than take dead addresses out, a change after
 *     the revival that takes an address out
 * @param changes changes during the fault (steady and all-dead) or after the restart (restart,
 *     restarted server only)
 * @param noAnswerMs time without an answer (timeouts x 50 ms); for the restart scenario, of the
 *     restarted server after its restart
 * @param endAnswer what was served at the end of an all-regions outage
 */
record Result(
        Trial trial,
        DnsSystem system,
        double detectMs,
        double recoverMs,
        int wrong,
        int falseChanges,
        int changes,
        double noAnswerMs,
        String endAnswer) {}
