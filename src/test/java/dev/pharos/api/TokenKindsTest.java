package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the API, found by reflection so that a new one is covered too, refuses every
 * token of another kind with 401 (all four kinds configured, each different), and accepts its own.
 */
@QuarkusTest
@QuarkusTestResource(value = AllTokensResource.class, restrictToAnnotatedClass = true)
class TokenKindsTest {

    record Endpoint(String method, String path, TokenKind kind) {
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
                out.add(new Endpoint(verb, path, needed == null ? TokenKind.READ : needed.value()));
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
    void everyKindOfTokenIsRefusedOnEveryOtherKindsEndpoints() {
        List<Endpoint> endpoints = endpoints();
        // every kind has endpoints, so no kind is left untested
        assertThat(endpoints.stream().map(Endpoint::kind).distinct())
                .containsExactlyInAnyOrder(TokenKind.values());
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(10);
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (Map.Entry<TokenKind, String> t : AllTokensResource.TOKENS.entrySet()) {
                Response r = call(e, t.getValue());
                boolean own = t.getKey() == e.kind();
                int status = r.statusCode();
                if (!own && (status != 401 || !r.contentType().contains("problem+json"))) {
                    wrong.add(e + " with the " + t.getKey() + " token: " + status);
                }
                if (own && (status == 401 || status == 403)) {
                    wrong.add(e + " refused its own " + t.getKey() + " token: " + status);
                }
                assertThat(r.asString()).doesNotContain(t.getValue());
            }
            int none = call(e, null).statusCode();
            if (none != 401) {
                wrong.add(e + " without a token: " + none);
            }
        }
        assertThat(wrong).isEmpty();
    }
}
