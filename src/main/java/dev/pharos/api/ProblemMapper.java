package dev.pharos.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every API error becomes RFC 9457 problem JSON here, and nowhere else. No stack trace or exception
 * text from inside Pharos ever reaches a client.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return response(e.status(), e.title(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        String where =
                e.getLocation() == null
                        ? ""
                        : " at line "
                                + e.getLocation().getLineNr()
                                + ", column "
                                + e.getLocation().getColumnNr();
        return response(400, "Bad Request", "malformed JSON" + where, uri);
    }

    /** A well-formed document with a value of the wrong type or shape (e.g. an unknown vote). */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return response(
                400,
                "Bad Request",
                path.length() == 0 ? "malformed JSON" : "invalid value at " + path,
                uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title =
                Response.Status.fromStatusCode(status) == null
                        ? "Error"
                        : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail =
                switch (status) {
                    case 404 -> "no such resource: " + uri.getPath();
                    case 405 -> "method not allowed on " + uri.getPath();
                    case 406, 415 -> "unsupported media type";
                    case 413 -> "payload too large";
                    default -> title;
                };
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return badJson(jpe, uri);
        }
        return response(status, title, detail, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("unexpected error serving " + uri.getPath(), e);
        return response(500, "Internal Server Error", "unexpected error; see the server log", uri);
    }

    static Response response(int status, String title, String detail, UriInfo uri) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(
                        new Problem(
                                "about:blank",
                                title,
                                status,
                                detail,
                                uri == null ? null : uri.getPath()))
                .build();
    }
}
