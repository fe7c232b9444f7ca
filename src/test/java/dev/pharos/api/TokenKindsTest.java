package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the API, found by reflection so that a new one is covered too, refuses every
 * token of another kind with 401 (all four kinds configured, each different), and accepts its own;
 * a public endpoint answers everyone. The stream of server-sent events is called too (only its
 * status read).
 */
@QuarkusTest
@QuarkusTestResource(value = AllTokensResource.class, restrictToAnnotatedClass = true)
class TokenKindsTest {

    /**
     * @param kind null for a {@link Public} endpoint
     * @param stream a stream of server-sent events: its answer never ends, so only its status is
     *     read
     */
    record Endpoint(String method, String path, TokenKind kind, boolean stream) {
        @Override
        public String toString() {
            return method + " " + path + " (" + kind + ")";
        }
    }

    /** Every resource method under /api: its HTTP method, its path, the token kind it needs. */
    static List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().importPackages("dev.pharos.api")) {
            if (!c.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> type = c.reflect();
            String base = type.getAnnotation(Path.class).value();
            for (Method m : type.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path =
                        (base + (sub == null ? "" : sub.value()))
                                .replace("{name}", "europe")
                                .replace("{id}", "0123456789ab");
                RequiresToken needed = m.getAnnotation(RequiresToken.class);
                if (needed == null) {
                    needed = type.getAnnotation(RequiresToken.class);
                }
                boolean open =
                        m.isAnnotationPresent(Public.class)
                                || type.isAnnotationPresent(Public.class);
                Produces produces = m.getAnnotation(Produces.class);
                boolean stream =
                        produces != null
                                && List.of(produces.value()).contains(MediaType.SERVER_SENT_EVENTS);
                out.add(
                        new Endpoint(
                                verb,
                                path,
                                open ? null : needed == null ? TokenKind.READ : needed.value(),
                                stream));
            }
        }
        return out;
    }

    private static String verb(Method m) {
        if (m.isAnnotationPresent(GET.class)) {
            return "GET";
        } else if (m.isAnnotationPresent(POST.class)) {
            return "POST";
        } else if (m.isAnnotationPresent(PUT.class)) {
            return "PUT";
        } else if (m.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        return null;
    }

    /** A stream's status and content type, read from its headers; the stream is then closed. */
    private static int streamStatus(Endpoint e, String token, List<String> contentType)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(
                                URI.create(RestAssured.baseURI + ":" + RestAssured.port + e.path()))
                        .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> r =
                HttpClient.newHttpClient()
                        .send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.headers().firstValue("Content-Type").ifPresent(contentType::add);
        r.body().close();
        return r.statusCode();
    }

    private static Response call(Endpoint e, String token) {
        var request = given().contentType(ContentType.JSON);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (e.method().equals("POST") || e.method().equals("PUT")) {
            request = request.body("{}");
        }
        return request.request(e.method(), e.path());
    }

    @Test
    void everyKindOfTokenIsRefusedOnEveryOtherKindsEndpoints() throws Exception {
        List<Endpoint> endpoints = endpoints();
        // every kind has endpoints, so no kind is left untested
        assertThat(endpoints.stream().map(Endpoint::kind).filter(k -> k != null).distinct())
                .containsExactlyInAnyOrder(TokenKind.values());
        assertThat(endpoints).filteredOn(Endpoint::stream).isNotEmpty();
        assertThat(endpoints).filteredOn(e -> e.kind() == null).isNotEmpty();
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(10);
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.kind() == null) {
                // public: answers everyone, with any token or none
                for (String token : AllTokensResource.TOKENS.values()) {
                    Response r = call(e, token);
                    if (r.statusCode() != 200) {
                        wrong.add(e + " is public but answered " + r.statusCode());
                    }
                    assertThat(r.asString()).doesNotContain(token);
                }
                if (call(e, null).statusCode() != 200) {
                    wrong.add(e + " is public but refused a call without a token");
                }
                continue;
            }
            for (Map.Entry<TokenKind, String> t : AllTokensResource.TOKENS.entrySet()) {
                boolean own = t.getKey() == e.kind();
                if (e.stream()) {
                    List<String> type = new ArrayList<>();
                    int status = streamStatus(e, t.getValue(), type);
                    if (!own && (status != 401 || !type.toString().contains("problem+json"))) {
                        wrong.add(e + " with the " + t.getKey() + " token: " + status);
                    }
                    if (own && status != 200) {
                        wrong.add(e + " refused its own " + t.getKey() + " token: " + status);
                    }
                    continue;
                }
                Response r = call(e, t.getValue());
                int status = r.statusCode();
                if (!own && (status != 401 || !r.contentType().contains("problem+json"))) {
                    wrong.add(e + " with the " + t.getKey() + " token: " + status);
                }
                if (own && (status == 401 || status == 403)) {
                    wrong.add(e + " refused its own " + t.getKey() + " token: " + status);
                }
                assertThat(r.asString()).doesNotContain(t.getValue());
            }
            int none =
                    e.stream()
                            ? streamStatus(e, null, new ArrayList<>())
                            : call(e, null).statusCode();
            if (none != 401) {
                wrong.add(e + " without a token: " + none);
            }
        }
        assertThat(wrong).isEmpty();
    }
}
