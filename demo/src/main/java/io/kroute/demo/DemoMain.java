package io.kroute.demo;

import io.kroute.runtime.BrokerUnreachableException;

/**
 * {@code ops/demo.sh}: the whole pipeline on a local broker, a benchmark's prompts through it, and a report.
 *
 * <p>Exit codes: 0 every prompt accounted for exactly once (or {@code --help}); 1 a prompt lost or answered twice, or the run failed; 2 bad
 * arguments or a cluster (--bootstrap-servers) that does not answer.
 */
public final class DemoMain {

    private DemoMain() {}

    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.HelpRequested e) {
            System.out.println(DemoOptions.USAGE);
            return; // nothing started yet: the JVM ends with 0
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try {
            code = options.models() != null
                    ? new ManyModelDemo(options).run()
                    : options.feedback() != null
                            ? new FeedbackDemo(options, options.feedback()).run()
                            : new DemoRun(options).run();
        } catch (IllegalArgumentException | BrokerUnreachableException e) {
            System.err.println("demo: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("demo: failed: " + e);
            e.printStackTrace(System.err);
            code = 1;
        }
        System.exit(code);
    }
}
