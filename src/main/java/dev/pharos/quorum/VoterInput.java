package dev.pharos.quorum;

import dev.pharos.observation.Health;

/**
 * One voter's say on one target, as the quorum sees it.
 *
 * @param voter a vantage point's name (or {@link dev.pharos.domain.Voters#ALERTMANAGER} for an
 *     inbound alert counted as a vote)
 * @param fresh false when the vote is older than stale-after or the voter is unreachable
 * @param abstaining the voter fails its own canaries; its votes are not counted
 */
public record VoterInput(String voter, Health vote, boolean fresh, boolean abstaining) {}
