package dev.pharos.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Content consistency, validated: what a STALE region does ({@link OnStale}) and, per region whose
 * content is checked, where and how ({@link RegionContent}). Empty when no region is checked.
 */
public record ContentSettings(OnStale onStale, Map<String, RegionContent> regions) {

    /** What a region whose content a quorum finds STALE does, besides turning DEGRADED. */
    public enum OnStale {
        /** Nothing more: the region turns DEGRADED with reason "stale content", and alerts fire. */
        ALERT,
        /**
         * Leave geo answers. No geo records exist yet: until they do this behaves as {@link #ALERT}
         * (docs/CONTENT.md).
         */
        LEAVE_GEO,
        /** Leave DNS, through the usual guards (never-empty, min-regions, hold-down on return). */
        LEAVE_DNS;

        public String label() {
            return Labels.of(this);
        }
    }

    public ContentSettings {
        regions = Collections.unmodifiableMap(new LinkedHashMap<>(regions));
    }

    /** No content checks at all. */
    public static ContentSettings none() {
        return new ContentSettings(OnStale.ALERT, Map.of());
    }

    public boolean enabled() {
        return !regions.isEmpty();
    }

    public Optional<RegionContent> region(String name) {
        return Optional.ofNullable(regions.get(name));
    }
}
