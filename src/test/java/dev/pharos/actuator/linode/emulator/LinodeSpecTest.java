package dev.pharos.actuator.linode.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's referee is not a rubber stamp: Linode's description rejects what Linode would. */
class LinodeSpecTest {
    static final Map<String, List<String>> JSON_AUTH =
            Map.of(
                    "Authorization", List.of("Bearer t"),
                    "Content-Type", List.of("application/json"));
    LinodeSpec spec;

    @BeforeEach
    void load() {
        spec = LinodeSpec.require();
    }

    private static LinodeSpec.Exchange get(
            String path, Map<String, List<String>> query, int status, String body) {
        return new LinodeSpec.Exchange("GET", path, query, JSON_AUTH, null, status, Map.of(), body);
    }

    @Test
    void theFieldsALinodeListMayBeFilteredOnAreTheOnesItsDescriptionMarksFilterable() {
        assertThat(spec.filterable("/v4/domains/1/records"))
                .contains("name", "type", "target")
                .doesNotContain("ttl_sec", "id");
        assertThat(spec.filterable("/v4/domains")).contains("domain");
        assertThat(spec.filterable("/v4/domains/1")).isEmpty();
    }

    @Test
    void aPageSizeOutsideLinodesBoundsIsAnInvalidRequest() {
        assertThat(
                        spec.checkRequest(
                                get("/v4/domains", Map.of("page_size", List.of("10")), 0, null)))
                .singleElement()
                .asString()
                .contains("minimum");
        assertThat(
                        spec.checkRequest(
                                get("/v4/domains", Map.of("page_size", List.of("500")), 0, null)))
                .isEmpty();
    }

    @Test
    void aNodeModeOutsideTheEnumIsAnInvalidRequest() {
        var put =
                new LinodeSpec.Exchange(
                        "PUT",
                        "/v4/nodebalancers/1/configs/2/nodes/3",
                        Map.of(),
                        JSON_AUTH,
                        "{\"mode\":\"sideways\"}",
                        0,
                        Map.of(),
                        null);
        assertThat(spec.checkRequest(put)).singleElement().asString().contains("enum");
    }

    @Test
    void anEmptyRecordNameIsAnInvalidRequestSoTheApexIsSentByName() {
        var post =
                new LinodeSpec.Exchange(
                        "POST",
                        "/v4/domains/1/records",
                        Map.of(),
                        JSON_AUTH,
                        "{\"type\":\"A\",\"name\":\"\",\"target\":\"127.0.1.1\",\"ttl_sec\":30}",
                        0,
                        Map.of(),
                        null);
        assertThat(spec.checkRequest(post)).isNotEmpty();
    }

    @Test
    void aResponseWithAFieldLinodeDoesNotHaveIsInvalid() {
        String body = "{\"data\":[],\"page\":1,\"pages\":1,\"results\":0,\"next\":2}";
        assertThat(spec.check(get("/v4/domains/1/records", Map.of(), 200, body)))
                .singleElement()
                .asString()
                .contains("additionalProperties");
    }

    @Test
    void errorAnswersMustBeTheErrorEnvelopeEvenWhereTheOperationListsNone() {
        assertThat(
                        spec.check(
                                get(
                                        "/v4/domains/1/records",
                                        Map.of(),
                                        429,
                                        "{\"errors\":[{\"reason\":\"slow down\"}]}")))
                .isEmpty();
        assertThat(spec.check(get("/v4/domains/1/records", Map.of(), 500, "{\"error\":\"boom\"}")))
                .isNotEmpty();
        assertThat(spec.check(get("/v4/domains", Map.of(), 401, "{\"errors\":[{\"reason\":1}]}")))
                .isNotEmpty();
    }
}
