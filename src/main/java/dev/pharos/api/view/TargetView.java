package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A target with its verdict and, per vantage point, the vote and latest observation.
 *
 * @param probe the effective probe settings (region detail only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetView(
        String id,
        String kind,
        String endpoint,
        ProbeView probe,
        VerdictView verdict,
        List<VantageVoteView> vantagePoints) {}
