package dev.tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalog's auto section: read as written, checked against the models at start, replaced whole by an overlay. */
class AutoRoutingCatalogTest {

    private static final String MODELS = """
            "models": [
              {"id": "small", "upstream": "u", "context_length": 4096, "max_output_tokens": 512,
               "pricing": {"input_per_million_usd": "0.1", "output_per_million_usd": "0.2"}, "capabilities": ["chat"]},
              {"id": "big", "upstream": "u", "context_length": 32768, "max_output_tokens": 4096,
               "pricing": {"input_per_million_usd": "1", "output_per_million_usd": "2"}, "capabilities": ["chat", "tools"]},
              {"id": "vectors", "upstream": "u", "dimensions": 8, "max_input_tokens": 64,
               "pricing": {"input_per_million_usd": "0.01", "output_per_million_usd": "0"}, "capabilities": ["embeddings"]}
            ]""";

    @Test
    void theDefaultCatalogRoutesByTheRulesTheReadmeDescribesInThatOrder() {
        AutoRouting auto = CatalogLoader.loadDefault().auto().orElseThrow();

        assertThat(auto.rules()).extracting(r -> r.when().kind().wireName() + " -> " + r.category()).containsExactly(
                "image_parts -> vision", "reasoning_options -> reasoning", "code -> code", "multi_step -> reasoning",
                "always -> general");
        assertThat(auto.requirements()).extracting(r -> r.when().kind().wireName() + " needs " + r.capability())
                .containsExactly("image_parts needs vision", "tools needs tools", "json_schema needs structured_outputs");
        assertThat(auto.rules().get(2).when().number("min_code_percent", -1)).isEqualTo(30);
        assertThat(auto.rules().get(2).when().flag("intent", false)).isTrue();
        assertThat(auto.categories().get("general").order()).isEqualTo(AutoRouting.Order.CHEAPEST);
        assertThat(auto.categories().get("code").order()).isEqualTo(AutoRouting.Order.LISTED);
        assertThat(auto.mayChoose()).containsExactly("qwen3-vl:235b-cloud", "qwen3:latest", "deepseek-v3.1:671b-cloud",
                "qwen/qwen3-coder:free", "gemma3:1b");
        assertThat(auto.outputRoomTokens()).isEqualTo(1024);
    }

    @Test
    void aCatalogWithoutAnAutoSectionHasNoAutoRouting() throws Exception {
        assertThat(parse("")).satisfies(c -> assertThat(c.auto()).isEmpty());
    }

    @Test
    void anOverlayWithAnAutoSectionReplacesItWholeAndOneWithoutKeepsTheDefault(@TempDir Path dir) throws Exception {
        Path replacing = Files.writeString(dir.resolve("auto.json"), """
                {"models": [], "auto": {"rules": [{"when": "always", "category": "any"}],
                 "categories": {"any": {"prefer": ["gemma3:1b"]}}}}""");
        Path plain = Files.writeString(dir.resolve("plain.json"), "{\"models\": []}");

        AutoRouting replaced = CatalogLoader.loadWithOverlays(List.of(replacing)).auto().orElseThrow();
        assertThat(replaced.rules()).hasSize(1);
        assertThat(replaced.requirements()).isEmpty();
        assertThat(CatalogLoader.loadWithOverlays(List.of(plain)).auto())
                .contains(CatalogLoader.loadDefault().auto().orElseThrow());
    }

    // '|' stands for '"'; each auto section is wrong in one way, and the message names where.
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = ';', value = {
            "{|rules|:[{|when|:|sometimes|,|category|:|c|}],|categories|:{|c|:{|prefer|:[|small|]}}};  'sometimes' is not a matcher",
            "{|rules|:[{|when|:|code|,|min_lines|:3,|category|:|c|}],|categories|:{|c|:{|prefer|:[|small|]}}}; 'code' takes no parameter min_lines",
            "{|rules|:[{|when|:|code|,|min_code_percent|:|30|,|category|:|c|}],|categories|:{|c|:{|prefer|:[|small|]}}}; min_code_percent must be a whole number",
            "{|rules|:[{|when|:|code|,|intent|:1,|category|:|c|}],|categories|:{|c|:{|prefer|:[|small|]}}}; intent must be true or false",
            "{|rules|:[{|when|:|always|,|category|:|nowhere|}],|categories|:{|c|:{|prefer|:[|small|]}}}; names category 'nowhere'",
            "{|rules|:[{|when|:|always|,|category|:|c|}],|categories|:{|c|:{|prefer|:[|huge|]}}};          'c' names huge, which is not in the catalog",
            "{|rules|:[{|when|:|always|,|category|:|c|}],|categories|:{|c|:{|prefer|:[|vectors|]}}};       'c' names vectors, which is not a chat model",
            "{|rules|:[{|when|:|always|,|category|:|c|}],|categories|:{|c|:{|prefer|:[]}}};                must name at least one model",
            "{|rules|:[{|when|:|always|,|category|:|c|}],|categories|:{|c|:{|prefer|:[|small|],|order|:|random|}}}; order is listed or cheapest",
            "{|rules|:[],|categories|:{|c|:{|prefer|:[|small|]}}};                                         at least one rule",
            "{|rules|:[{|category|:|c|}],|categories|:{|c|:{|prefer|:[|small|]}}};                          need a string field when",
            "{|requirements|:[{|when|:|tools|}],|rules|:[{|when|:|always|,|category|:|c|}],|categories|:{|c|:{|prefer|:[|small|]}}}; need a string field capability",
            "{|rules|:[{|when|:|always|,|category|:|c|}],|categories|:{|c|:{|prefer|:[|small|]}},|output_room_tokens|:0}; output_room_tokens must be a positive",
            "[];                                                                                           auto must be an object",
    })
    void aMistakeFailsTheLoadSayingWhere(String auto, String message) {
        assertThatThrownBy(() -> parse(",\"auto\":" + auto.replace('|', '"')))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void noModelMayBeCalledAutoWhileAutoRoutingIsOn() {
        String models = MODELS.replace("\"id\": \"small\"", "\"id\": \"auto\"");
        assertThatThrownBy(() -> CatalogLoader.parse(new ByteArrayInputStream(("{" + models + ",\"auto\":{\"rules\":"
                + "[{\"when\":\"always\",\"category\":\"c\"}],\"categories\":{\"c\":{\"prefer\":[\"big\"]}}}}")
                .getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("no model may be called 'auto'");
    }

    private static Catalog parse(String more) throws Exception {
        return CatalogLoader.parse(new ByteArrayInputStream(("{" + MODELS + more + "}").getBytes(StandardCharsets.UTF_8)));
    }
}
