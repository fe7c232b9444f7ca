package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One vantage point's vote on a target and its latest observation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VantageVoteView(
        String vantage, String vote, Instant since, boolean fresh, ObservationView last) {}
