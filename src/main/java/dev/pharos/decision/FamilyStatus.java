package dev.pharos.decision;

import dev.pharos.config.Family;

/** A region's state for one address family, with the reason in words. */
public record FamilyStatus(Family family, RegionState state, String reason) {}
