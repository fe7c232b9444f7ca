package dev.pharos.observation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One operator action as every vantage point keeps it, under its key: the latest entry for a key
 * (by {@link Hlc}) is the one in force on every instance. A clear is an entry too (a tombstone),
 * newer than what it clears, so a vantage point that still holds the older entry cannot bring it
 * back.
 *
 * <p>Keys: {@code drain/<region>}, {@code maintenance/<id>}, {@code confirm/<region>}, {@code
 * resume/<actuator>}.
 *
 * @param key what the entry is about; the last writer per key wins
 * @param hlc when and where it was written; its origin is the vantage point whose API took it
 * @param cleared a tombstone: the action was removed
 * @param region the region it is about (not for a resume)
 * @param reason the operator's reason (drains and maintenance windows; never on a tombstone)
 * @param start a drain: when it was set; a maintenance window: when it starts; a confirmation or
 *     resume: when it was given
 * @param until when a drain or window ends; on a tombstone, the end of what it cleared, after which
 *     no copy of that can come back into force
 * @param by who asked (the token kind), never a credential
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperatorAction(
        String key,
        Hlc hlc,
        boolean cleared,
        String region,
        String reason,
        Instant start,
        Instant until,
        String by) {

    /** What a key is about; its prefix names it. */
    public enum Kind {
        DRAIN,
        MAINTENANCE,
        CONFIRM,
        RESUME;

        public String prefix() {
            return name().toLowerCase(Locale.ROOT) + "/";
        }

        public String key(String subject) {
            return prefix() + subject;
        }

        public static Optional<Kind> of(String key) {
            if (key != null) {
                for (Kind k : values()) {
                    if (key.startsWith(k.prefix()) && key.length() > k.prefix().length()) {
                        return Optional.of(k);
                    }
                }
            }
            return Optional.empty();
        }
    }

    public static OperatorAction drain(
            String region, String reason, Instant until, String by, Hlc hlc) {
        return new OperatorAction(
                Kind.DRAIN.key(region), hlc, false, region, reason, at(hlc), until, by);
    }

    public static OperatorAction maintenance(
            String id,
            String region,
            String reason,
            Instant start,
            Instant end,
            String by,
            Hlc hlc) {
        return new OperatorAction(
                Kind.MAINTENANCE.key(id), hlc, false, region, reason, start, end, by);
    }

    public static OperatorAction confirm(String region, String by, Hlc hlc) {
        return new OperatorAction(
                Kind.CONFIRM.key(region), hlc, false, region, null, at(hlc), null, by);
    }

    public static OperatorAction resume(String actuator, String by, Hlc hlc) {
        return new OperatorAction(
                Kind.RESUME.key(actuator), hlc, false, null, null, at(hlc), null, by);
    }

    /** The tombstone that clears {@code previous}. */
    public static OperatorAction clear(OperatorAction previous, String by, Hlc hlc) {
        return new OperatorAction(
                previous.key(), hlc, true, previous.region(), null, at(hlc), previous.until(), by);
    }

    private static Instant at(Hlc hlc) {
        return Instant.ofEpochMilli(hlc.wall());
    }

    @JsonIgnore
    public Kind kind() {
        return Kind.of(key).orElseThrow(() -> new IllegalStateException("bad key " + key));
    }

    /** The key without its kind: the region, window id or actuator. */
    @JsonIgnore
    public String subject() {
        return key.substring(kind().prefix().length());
    }

    @JsonIgnore
    public String origin() {
        return hlc.origin();
    }

    /**
     * A drain or maintenance window that takes its region out now: a drain from when it is set, a
     * window from its start, both until their end.
     */
    public boolean drainsAt(Instant now) {
        if (cleared || until == null || !now.isBefore(until)) {
            return false;
        }
        return switch (kind()) {
            case DRAIN -> true;
            case MAINTENANCE -> !now.isBefore(start);
            default -> false;
        };
    }

    /** A maintenance window announced for later. */
    public boolean scheduledAt(Instant now) {
        return !cleared && kind() == Kind.MAINTENANCE && now.isBefore(start);
    }
}
