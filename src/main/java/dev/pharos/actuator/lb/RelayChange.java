package dev.pharos.actuator.lb;

import java.util.Optional;

/**
 * One relay's change: on, forwarding to {@code target}'s load balancer at {@code endpoint}, or off
 * (both empty). What a relay reconciler applies, or journals as its plan when it does not apply.
 *
 * @param target the region the relay forwards to
 * @param endpoint that region's load balancer ("address:port")
 * @param reason why, as the decision gave it
 */
public record RelayChange(
        String region, Optional<String> target, Optional<String> endpoint, String reason) {

    public static RelayChange on(String region, String target, String endpoint, String reason) {
        return new RelayChange(region, Optional.of(target), Optional.of(endpoint), reason);
    }

    public static RelayChange off(String region, String reason) {
        return new RelayChange(region, Optional.empty(), Optional.empty(), reason);
    }

    /**
     * The change that brings the relay from {@code now} to forwarding to {@code endpoint} (empty:
     * off), or none when it is there already.
     */
    public static Optional<RelayChange> needed(
            RelayState now, Optional<String> target, Optional<String> endpoint, String reason) {
        if (endpoint.isPresent() && target.isPresent()) {
            return now.inRotation() && now.forwardTo().equals(endpoint)
                    ? Optional.empty()
                    : Optional.of(on(now.region(), target.get(), endpoint.get(), reason));
        }
        return now.inRotation() || now.forwardTo().isPresent()
                ? Optional.of(off(now.region(), reason))
                : Optional.empty();
    }

    public boolean turnsOn() {
        return endpoint.isPresent();
    }

    @Override
    public String toString() {
        return turnsOn()
                ? "relay of "
                        + region
                        + " on, forwarding to "
                        + target.get()
                        + " ("
                        + endpoint.get()
                        + ")"
                : "relay of " + region + " off";
    }
}
