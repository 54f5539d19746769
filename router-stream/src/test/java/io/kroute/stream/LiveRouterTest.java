package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.RandomRouter;
import io.kroute.router.Router;
import io.kroute.router.RouterInfo;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LiveRouterTest {

    /** A router that records whether it was closed, and can block a score until released. */
    private static final class ProbeRouter implements Router {
        final String version;
        final AtomicBoolean closed = new AtomicBoolean();

        ProbeRouter(String version) {
            this.version = version;
        }

        @Override
        public double score(String prompt) {
            return 0.5;
        }

        @Override
        public double thresholdForStrongShare(double strongShare) {
            return version.equals("v1") ? 0.1 : 0.9;
        }

        @Override
        public RouterInfo info() {
            return new RouterInfo("probe", version);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void a_swap_brings_the_new_routers_own_threshold() {
        LiveRouter live = new LiveRouter(new ProbeRouter("v1"), LiveRouter.ThresholdRule.share(0.5));
        assertThat(live.current().threshold()).isEqualTo(0.1);

        live.swap(new ProbeRouter("v2"));

        assertThat(live.current().router().info().version()).isEqualTo("v2");
        assertThat(live.current().threshold()).isEqualTo(0.9);
    }

    @Test
    void a_fixed_threshold_survives_swaps() {
        LiveRouter live = new LiveRouter(new RandomRouter(1), LiveRouter.ThresholdRule.fixed(0.3));
        live.swap(new RandomRouter(2));
        assertThat(live.current().threshold()).isEqualTo(0.3);
    }

    @Test
    void the_old_router_is_closed_only_after_the_decision_using_it_is_done() throws Exception {
        ProbeRouter v1 = new ProbeRouter("v1");
        LiveRouter live = new LiveRouter(v1, LiveRouter.ThresholdRule.share(0.5));
        CountDownLatch pinned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String[] usedVersion = new String[1];
        Thread decision = new Thread(() -> live.apply(active -> {
            pinned.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            usedVersion[0] = active.router().info().version();
            return null;
        }));
        decision.start();
        pinned.await();

        live.swap(new ProbeRouter("v2"));
        assertThat(v1.closed).as("still in use by a decision").isFalse();
        release.countDown();
        decision.join();

        assertThat(usedVersion[0]).isEqualTo("v1");
        assertThat(v1.closed).isTrue();
        String now = live.apply(active -> active.router().info().version());
        assertThat(now).isEqualTo("v2");
    }
}
