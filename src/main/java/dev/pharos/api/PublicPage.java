package dev.pharos.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * GET /status: the public status page, from the jar. Its script reads {@link PublicResource}; the
 * operator console is the static page at {@code /}.
 */
@Path("/status")
@Public
public class PublicPage {
    private static final String PAGE = read("/console/status.html");

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String page() {
        return PAGE;
    }

    private static String read(String resource) {
        try (InputStream in = PublicPage.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
