package dev.pharos.health;

import dev.pharos.reconcile.Pipeline;
import dev.pharos.reconcile.PipelineState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** /q/health/ready: see {@link ReadinessState}. */
@Readiness
@Singleton
public class ReadinessCheck implements HealthCheck {
    @Inject ReadinessState readiness;
    @Inject Pipeline pipeline;

    @Override
    public HealthCheckResponse call() {
        PipelineState s = pipeline.state();
        List<String> unmet = readiness.unmet(s);
        var b = HealthCheckResponse.named("pharos").status(unmet.isEmpty());
        for (int i = 0; i < unmet.size(); i++) {
            b.withData("unmet." + i, unmet.get(i));
        }
        List<String> notes = readiness.notes(s);
        for (int i = 0; i < notes.size(); i++) {
            b.withData("note." + i, notes.get(i));
        }
        return b.build();
    }
}
