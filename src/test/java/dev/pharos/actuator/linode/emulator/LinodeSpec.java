package dev.pharos.actuator.linode.emulator;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import dev.pharos.testing.Tools;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Linode's own API description (../shared/linode/openapi-subset.yaml, beside the repository, read
 * at run time and never copied in), as a validator of requests and responses. It uses Atlassian's
 * swagger-request-validator, which understands OpenAPI 3.0 (path templates, query parameter bounds,
 * request bodies with allOf and required, nullable, readOnly, additionalProperties: false,
 * security) so the emulator's answers and the client's requests are held to the same contract as
 * Linode's.
 *
 * <p>One gap of the description is filled from its own text: some operations (listing records or
 * nodes) declare only their 200 answer, while the description's "Errors" section says every
 * operation may answer 400, 401, 403, 404, 429 or 500 with the error envelope. An error answer of
 * such an operation is therefore checked against {@code ErrorResponse} instead of being rejected as
 * an unknown status.
 */
public final class LinodeSpec {
    /** Where the description sits, relative to the repository root (the tests' working dir). */
    public static final Path RELATIVE = Path.of("..", "shared", "linode", "openapi-subset.yaml");

    private static final String UNKNOWN_STATUS = "validation.response.status.unknown";

    private final OpenApiInteractionValidator validator;
    private final SchemaValidator schemas;
    private final Schema<?> errorResponse;
    private final OpenAPI api;

    // the validator notes at INFO, per instance, that the description uses allOf
    private static final java.util.logging.Logger QUIET =
            java.util.logging.Logger.getLogger("com.atlassian.oai.validator");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    private LinodeSpec(Path file) {
        String url = file.toUri().toString();
        this.validator = OpenApiInteractionValidator.createForSpecificationUrl(url).build();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        OpenAPI api = new OpenAPIV3Parser().read(url, null, options);
        this.schemas = new SchemaValidator(api, new MessageResolver());
        this.errorResponse = api.getComponents().getSchemas().get("ErrorResponse");
        this.api = api;
    }

    /**
     * The fields a list at {@code path} may be filtered on with {@code X-Filter}: the properties of
     * its items that the description marks {@code __Filterable__} (Linode's own rule: what is
     * labelled Filterable in an operation's response may be filtered on). Empty for a path that is
     * no list.
     */
    public Set<String> filterable(String path) {
        String[] want = path.split("/");
        for (Map.Entry<String, PathItem> e : api.getPaths().entrySet()) {
            String[] template = e.getKey().split("/");
            if (template.length != want.length || e.getValue().getGet() == null) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < template.length && match; i++) {
                match = template[i].startsWith("{") || template[i].equals(want[i]);
            }
            if (match) {
                return filterable(e.getValue().getGet());
            }
        }
        return Set.of();
    }

    private static Set<String> filterable(Operation get) {
        ApiResponse ok = get.getResponses().get("200");
        if (ok == null || ok.getContent() == null) {
            return Set.of();
        }
        Schema<?> list = ok.getContent().get("application/json").getSchema();
        Schema<?> data = list.getProperties() == null ? null : list.getProperties().get("data");
        if (data == null || data.getItems() == null || data.getItems().getProperties() == null) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        data.getItems()
                .getProperties()
                .forEach(
                        (name, schema) -> {
                            String d = schema.getDescription();
                            if (d != null && d.contains("__Filterable__")) {
                                out.add(name);
                            }
                        });
        return out;
    }

    /** The description, if the file is there. */
    public static java.util.Optional<LinodeSpec> optional() {
        Path p = RELATIVE.toAbsolutePath().normalize();
        return Files.isRegularFile(p)
                ? java.util.Optional.of(new LinodeSpec(p))
                : java.util.Optional.empty();
    }

    /**
     * The description, or: outside CI the test is skipped saying why; in CI (CI=true) a missing
     * file fails it.
     */
    public static LinodeSpec require() {
        Path p = RELATIVE.toAbsolutePath().normalize();
        Tools.need(
                Files.isRegularFile(p),
                "Linode's API description at "
                        + p
                        + " (shared/linode/openapi-subset.yaml beside the repository): the"
                        + " emulator cannot be checked against it without it");
        return new LinodeSpec(p);
    }

    /** One exchange as the emulator saw it. */
    public record Exchange(
            String method,
            String path,
            Map<String, List<String>> query,
            Map<String, List<String>> requestHeaders,
            String requestBody,
            int status,
            Map<String, List<String>> responseHeaders,
            String responseBody) {}

    /** Problems with the request alone (before it is answered). */
    public List<String> checkRequest(Exchange e) {
        return errors("request", validator.validateRequest(request(e)));
    }

    /** Problems with the request and its response. */
    public List<String> check(Exchange e) {
        SimpleResponse.Builder r =
                SimpleResponse.Builder.status(e.status()).withContentType("application/json");
        e.responseHeaders().forEach(r::withHeader);
        if (e.responseBody() != null) {
            r.withBody(e.responseBody());
        }
        ValidationReport report =
                validator.validateResponse(e.path(), Request.Method.valueOf(e.method()), r.build());
        List<String> out = errors("response", report);
        boolean onlyUndeclared =
                e.status() >= 400
                        && report.getMessages().stream()
                                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                                .allMatch(m -> m.getKey().equals(UNKNOWN_STATUS));
        if (!out.isEmpty() && onlyUndeclared) {
            return errors(
                    "error response",
                    schemas.validate(
                            e.responseBody() == null ? "" : e.responseBody(),
                            errorResponse,
                            "response.body"));
        }
        return out;
    }

    private static SimpleRequest request(Exchange e) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(e.method(), e.path());
        e.query().forEach(b::withQueryParam);
        e.requestHeaders().forEach(b::withHeader);
        if (e.requestBody() != null && !e.requestBody().isEmpty()) {
            b.withBody(e.requestBody());
        }
        return b.build();
    }

    private static List<String> errors(String what, ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> what + ": " + m.getKey() + ": " + m.getMessage())
                .toList();
    }
}
