package io.kroute.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The retrainer's file is checked when it is read: a bad hyperparameter is refused by its key, not at a round. */
class RetrainerConfigTest {

    private static Properties file(String kind, String hyperparameters) {
        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:9092");
        props.put(RetrainerConfig.KIND, kind);
        props.put(RetrainerConfig.HYPERPARAMETERS, hyperparameters);
        return props;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ridge-knn|reliability_folds=1,prior_scale=0.3|reliability_folds",
                "ridge-knn|reliability_folds=5|reliability_folds",
                "ridge-knn|lamda=3|do not apply to ridge-knn",
                "mf|dim=abc|dim must be an integer",
                "classifier|ensemble=5,epochs|key=value",
            })
    void a_bad_hyperparameter_is_refused_when_the_file_is_read(String kind, String hyperparameters, String says) {
        assertThatThrownBy(() -> RetrainerConfig.fromProperties(file(kind, hyperparameters)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(RetrainerConfig.HYPERPARAMETERS + ": ")
                .hasMessageContaining(says);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ridge-knn|source_weighting=balanced,prior_scale=0.3,reliability_folds=5",
                "classifier|ensemble=5",
                "mf|''",
            })
    void good_hyperparameters_are_taken(String kind, String hyperparameters) {
        assertThat(RetrainerConfig.fromProperties(file(kind, hyperparameters))
                        .settings()
                        .hyperparameters())
                .isEqualTo(hyperparameters);
    }
}
