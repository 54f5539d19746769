package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ShareMonitorTest {

    @Test
    void traffic_unlike_the_calibration_sample_is_reported_once_with_both_shares() {
        // given: a 50% target, and traffic the card's threshold sends 90% of to strong
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ShareMonitor.class);
        logger.addAppender(logs);
        ShareMonitor monitor = new ShareMonitor(0.5);

        // when
        double share = 0;
        for (int i = 0; i < 2_000; i++) {
            share = monitor.observe(i % 10 != 0, "0_1", 1_000 + i, "card");
        }
        logger.detachAppender(logs);

        // then
        assertThat(share).isCloseTo(0.9, org.assertj.core.data.Offset.offset(0.001));
        assertThat(monitor.offTarget()).isTrue();
        assertThat(logs.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                .contains("task 0_1: 90.0% of the last 500 prompts went to the strong model, target 50.0%"));
    }

    @Test
    void a_share_within_ten_points_or_a_fixed_threshold_is_not_reported() {
        ShareMonitor near = new ShareMonitor(0.5);
        ShareMonitor fixed = new ShareMonitor(Double.NaN);
        for (int i = 0; i < 2_000; i++) {
            near.observe(i % 5 < 3, "t", i, "traffic"); // 60%
            fixed.observe(true, "t", i, "card");
        }
        assertThat(near.offTarget()).isFalse();
        assertThat(fixed.offTarget()).isFalse();
        assertThat(fixed.share()).isEqualTo(1.0);
    }
}
