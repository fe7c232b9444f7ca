package dev.pharos.actuator;

/** What an actuator does with the plans it computes. */
public enum ActuatorMode {
    /** Applies them. */
    APPLY,
    /** {@code policy.dry-run}: journals and shows them, never applies them. */
    DRY_RUN,
    /**
     * {@code node.actuate} is false: another instance applies; this one journals and shows them.
     */
    PLAN_ONLY;

    /**
     * @param actuates this instance applies to the provider (it actuates, or the provider is its
     *     own embedded server)
     */
    public static ActuatorMode of(boolean actuates, boolean dryRun) {
        return dryRun ? DRY_RUN : actuates ? APPLY : PLAN_ONLY;
    }

    /** In words, for the start-up log. */
    public String describe() {
        return switch (this) {
            case APPLY -> "applying";
            case DRY_RUN -> "dry run, plans only";
            case PLAN_ONLY -> "planning only (node.actuate is false)";
        };
    }
}
