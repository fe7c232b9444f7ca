package dev.pharos.decision;

import java.util.Optional;

/**
 * A safety guard changed the desired state (or refused to): which guard, about what, and what to do
 * about it.
 *
 * @param guard which guard
 * @param region the region concerned, if one is
 * @param record the record concerned ("cdn.example.com/A"), if one is
 */
public record GuardFiring(
        Guard guard, Optional<String> region, Optional<String> record, String message) {

    public static GuardFiring region(Guard guard, String region, String message) {
        return new GuardFiring(guard, Optional.of(region), Optional.empty(), message);
    }

    public static GuardFiring record(Guard guard, String record, String message) {
        return new GuardFiring(guard, Optional.empty(), Optional.of(record), message);
    }
}
