package dev.pharos.observation;

import java.util.List;

/**
 * One vantage point asks another to probe these targets at once (an inbound alert wants fast
 * confirmation from every vantage point).
 *
 * @param by the asking vantage point's name
 * @param reason why, for the journal (e.g. the alert's name)
 */
public record ReprobeRequest(String by, List<String> targets, String reason) {}
