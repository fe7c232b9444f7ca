package dev.pharos.health;

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

    @Override
    public HealthCheckResponse call() {
        List<String> unmet = readiness.unmet();
        var b = HealthCheckResponse.named("pharos").status(unmet.isEmpty());
        for (int i = 0; i < unmet.size(); i++) {
            b.withData("unmet." + i, unmet.get(i));
        }
        return b.build();
    }
}
