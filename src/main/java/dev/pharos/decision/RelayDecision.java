package dev.pharos.decision;

import java.util.Optional;

/**
 * Whether a region's relay should forward, and to which region.
 *
 * @param target the region to forward to; empty: the relay is out of rotation
 */
public record RelayDecision(String region, Optional<String> target, String reason) {
    public boolean active() {
        return target.isPresent();
    }
}
