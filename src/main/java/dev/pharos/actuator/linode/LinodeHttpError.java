package dev.pharos.actuator.linode;

import dev.pharos.actuator.linode.LinodeModel.ErrorEnvelope;
import dev.pharos.actuator.linode.LinodeModel.ErrorObject;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * An HTTP error answer from the Linode API: its status, Retry-After, and the reasons of its error
 * envelope. It carries nothing of the request (no header, so never the token).
 */
final class LinodeHttpError extends RuntimeException {
    final int status;
    final Optional<Duration> retryAfter;
    final List<String> reasons;

    LinodeHttpError(int status, Optional<Duration> retryAfter, List<String> reasons) {
        super(
                "HTTP " + status + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)),
                null,
                false,
                false);
        this.status = status;
        this.retryAfter = retryAfter;
        this.reasons = List.copyOf(reasons);
    }

    /** Turns every 4xx and 5xx answer into a {@link LinodeHttpError}. */
    static final class Mapper implements ResponseExceptionMapper<LinodeHttpError> {
        @Override
        public boolean handles(int status, MultivaluedMap<String, Object> headers) {
            return status >= 400;
        }

        @Override
        public LinodeHttpError toThrowable(Response response) {
            List<String> reasons = new ArrayList<>();
            try {
                ErrorEnvelope e = response.readEntity(ErrorEnvelope.class);
                if (e != null && e.errors() != null) {
                    for (ErrorObject o : e.errors()) {
                        reasons.add(
                                (o.field() == null || o.field().isBlank() ? "" : o.field() + ": ")
                                        + o.reason());
                    }
                }
            } catch (RuntimeException notAnEnvelope) {
                // a proxy's HTML page or an empty body: the status says enough
            }
            return new LinodeHttpError(
                    response.getStatus(),
                    retryAfter(response.getHeaderString("Retry-After")),
                    reasons);
        }

        static Optional<Duration> retryAfter(String header) {
            if (header == null || header.isBlank()) {
                return Optional.empty();
            }
            try {
                long s = Long.parseLong(header.trim());
                return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
            } catch (NumberFormatException httpDate) {
                return Optional.empty();
            }
        }
    }
}
