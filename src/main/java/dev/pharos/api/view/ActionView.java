package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One operator action as this vantage point holds it, and which vantage points hold the same entry
 * (GET /api/v1/actions, and in the status).
 *
 * @param key {@code drain/<region>}, {@code maintenance/<id>}, {@code confirm/<region>}, {@code
 *     resume/<actuator>}
 * @param state {@code active}, {@code scheduled} (a maintenance window not started), {@code ended},
 *     {@code cleared} (a tombstone), {@code given} (a confirmation or resume)
 * @param origin the vantage point whose API took it
 * @param hlc its hybrid-logical-clock stamp, {@code wall.counter@origin}: the later one wins
 * @param heldBy the vantage points whose latest snapshot (and this one) hold this very entry
 * @param missing the others: they have not had it yet, or hold another entry for the key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionView(
        String key,
        String kind,
        String state,
        String region,
        String reason,
        Instant start,
        Instant until,
        String by,
        String origin,
        String hlc,
        List<String> heldBy,
        List<String> missing) {}
