package dev.pharos.observation;

import java.time.Instant;

/** A vantage point's vote on a target changed. */
public record VoteChange(String targetId, Health from, Health to, Instant at) {}
