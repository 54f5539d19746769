package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class GatewayOptionsTest {

    @Test
    void theKeyComesFromTheOptionThenKrouteApiKeyThenOpenAiApiKey() {
        // given
        UnaryOperator<String> both = Map.of("KROUTE_API_KEY", "sk-kroute", "OPENAI_API_KEY", "sk-openai")::get;
        UnaryOperator<String> openAiOnly = Map.of("OPENAI_API_KEY", "sk-openai", "KROUTE_API_KEY", " ")::get;
        UnaryOperator<String> none = name -> null;

        // then
        assertThat(GatewayOptions.apiKey("sk-option", both)).isEqualTo("sk-option");
        assertThat(GatewayOptions.apiKey(null, both)).isEqualTo("sk-kroute");
        assertThat(GatewayOptions.apiKey(null, openAiOnly)).isEqualTo("sk-openai");
        assertThat(GatewayOptions.apiKey(null, none)).isNull();
    }

    @Test
    void aKeyThatCannotBeAHeaderIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> GatewayOptions.apiKey("sk-se cret\n", name -> null))
                .hasMessage("the API key holds characters an HTTP header cannot carry");
    }

    @Test
    void theUrlLosesItsTrailingSlashesAndMustBeHttpWithAHost() {
        assertThat(GatewayOptions.url("http://127.0.0.1:8090/").toString()).isEqualTo("http://127.0.0.1:8090");
        assertThat(GatewayOptions.url(" https://gw.example/kroute// ").toString())
                .isEqualTo("https://gw.example/kroute");
        assertThatThrownBy(() -> GatewayOptions.url("127.0.0.1:8090")).hasMessageStartingWith("--gateway is not a URL");
        assertThatThrownBy(() -> GatewayOptions.url("ftp://gw")).hasMessageStartingWith("--gateway must be");
        assertThatThrownBy(() -> GatewayOptions.url("http://gw/?x=1")).hasMessageContaining("query");
    }
}
