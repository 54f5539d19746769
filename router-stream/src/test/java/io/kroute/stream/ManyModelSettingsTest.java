package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Bad many-model configuration is one line naming the key; a file without kroute.models is today's two models. */
class ManyModelSettingsTest {

    private static Properties three() {
        return ManyModelTopologyTest.threeModels("cheapest-within", "kroute.selector.tolerance", "0.5");
    }

    private static void refused(Properties p, String message) {
        assertThatThrownBy(() -> RouterStreamSettings.fromProperties(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void without_models_the_settings_are_the_two_model_router() {
        assertThat(RouterStreamSettings.fromProperties(new Properties()).manyModels())
                .isNull();
    }

    @Test
    void three_models_parse_in_order_with_their_prices() {
        ManyModelSettings m = RouterStreamSettings.fromProperties(three()).manyModels();
        assertThat(m.queues()).extracting(ModelQueue::queue).containsExactly("big", "mid", "small");
        assertThat(m.queues().get(0).price().outputPerMillion()).isEqualTo(30.0);
        assertThat(m.value()).isEqualTo(0.5);
    }

    @Test
    void a_model_without_a_price() {
        Properties p = three();
        p.remove("kroute.model.mid.output-per-million");
        refused(p, "model queue 'mid' has no price");
    }

    @Test
    void a_price_out_of_bounds() {
        Properties p = three();
        p.setProperty("kroute.model.mid.input-per-million", "-1");
        refused(p, "kroute.model.mid.input-per-million must be a number from 0");
    }

    @Test
    void a_model_without_a_name() {
        Properties p = three();
        p.remove("kroute.model.small.name");
        refused(p, "kroute.model.small.name is required");
    }

    @Test
    void a_queue_name_that_cannot_name_a_topic() {
        Properties p = three();
        p.setProperty("kroute.models", "big,mid,Small_Model");
        refused(p, "queue name must match");
    }

    @Test
    void settings_for_a_model_not_listed() {
        Properties p = three();
        p.setProperty("kroute.model.extra.name", "x");
        refused(p, "kroute.model.extra.* is set but kroute.models does not list extra");
    }

    @Test
    void an_unknown_per_model_key() {
        Properties p = three();
        p.setProperty("kroute.model.big.price", "3");
        refused(p, "unknown key kroute.model.big.price");
    }

    @Test
    void one_model_or_a_repeated_one() {
        Properties p = three();
        p.setProperty("kroute.models", "big");
        refused(p, "from 2 to 32 queues");
        p.setProperty("kroute.models", "big,big");
        refused(p, "names queue 'big' twice");
    }

    @Test
    void a_selector_without_its_value_or_with_another_rules() {
        Properties p = three();
        p.remove("kroute.selector.tolerance");
        refused(p, "needs kroute.selector.tolerance");
        Properties q = three();
        q.setProperty("kroute.selector.lambda", "3");
        refused(q, "kroute.selector.lambda does not apply to kroute.selector=cheapest-within");
        Properties r = ManyModelTopologyTest.threeModels("trade-off", "kroute.selector.lambda", "3");
        r.setProperty("kroute.selector.target-cost-usd", "0.01");
        refused(r, "exactly one of");
        Properties t = ManyModelTopologyTest.threeModels("trade-off", "kroute.selector.target-spend-share", "1.5");
        refused(t, "kroute.selector.target-spend-share must be a number from 0.0 to 1.0");
        Properties u = ManyModelTopologyTest.threeModels("trade-off", "kroute.selector.target-spend-share", "0");
        refused(u, "must be above 0");
        Properties v = three();
        v.setProperty("kroute.selector.target-spend-share", "0.5");
        refused(v, "kroute.selector.target-spend-share does not apply to kroute.selector=cheapest-within");
        Properties s = three();
        s.setProperty("kroute.selector", "cheapest");
        refused(s, "selector rule must be");
    }

    @Test
    void two_model_settings_that_do_not_apply() {
        Properties p = three();
        p.setProperty("kroute.calibration", "traffic");
        refused(p, "kroute.calibration=traffic is for the two-model router");
        Properties q = three();
        q.setProperty("kroute.threshold", "0.5");
        refused(q, "kroute.threshold is for the two-model router");
    }

    @Test
    void selector_keys_without_models() {
        Properties p = new Properties();
        p.setProperty("kroute.selector.tolerance", "0.5");
        refused(p, "needs kroute.models");
    }
}
