package io.kroute.router.cli;

import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.router.data.DemoHoldout;
import io.kroute.router.data.PromptSample;
import io.kroute.router.data.RoutingSource;
import io.kroute.router.data.ScoredAnswer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@code share}: the strong share a router's own threshold for a target share gives on each of several kinds of
 * traffic. The threshold comes from the model card's calibration sample; on traffic unlike that sample the share
 * drifts from the target, and this says by how much, without labels.
 */
final class ShareCommand {

    static final Set<String> OPTIONS =
            Set.of("router", "data", "share", "limit", "prompts", "seed", "data-root", "cache");

    private ShareCommand() {}

    static int run(Args args, PrintStream out, PrintStream log) throws Exception {
        double target = args.number("share", 0.5, 0, 1);
        int limit = (int) args.number("limit", 1000, 1, Integer.MAX_VALUE);
        long seed = (long) args.number("seed", 0, 0, Long.MAX_VALUE);
        String which = args.get("prompts", "all");
        if (!which.equals("all") && !which.equals("demo")) {
            throw new Args.UsageException("--prompts must be 'all' or 'demo' (only those DemoHoldout reserves)");
        }
        List<String> specs = List.of(args.required("data").split(","));
        try (Router router = RouterLoader.load(args.get("router", "default"));
                Workspace ws = Workspace.forRouter(args, log, router)) {
            double threshold = router.thresholdForStrongShare(target);
            out.printf(
                    "%s %s: threshold %.5f for %.0f%% strong on its calibration sample%n",
                    router.info().kind(), router.info().version(), threshold, 100 * target);
            out.printf("%-28s %8s %12s%n", "traffic", "prompts", "strong share");
            for (String spec : specs) {
                List<String> prompts = sample(prompts(ws, spec, which.equals("demo")), limit, seed);
                double[] scores = ws.score(router, prompts);
                long strong = java.util.Arrays.stream(scores)
                        .filter(s -> s >= threshold)
                        .count();
                out.printf("%-28s %8d %11.1f%%%n", spec, prompts.size(), 100.0 * strong / prompts.size());
            }
        }
        return 0;
    }

    private static List<String> prompts(Workspace ws, String spec, boolean demoOnly) {
        var source = RoutingSource.named(spec);
        if (source.isPresent()) {
            RoutingSource s = source.get();
            List<String> out = new ArrayList<>();
            for (ScoredAnswer a : s.rows(ws.load(s.dataset()).scored())) {
                if (!demoOnly || DemoHoldout.reserved(s.dataset(), a.prompt())) {
                    out.add(a.prompt());
                }
            }
            return out.stream().distinct().toList();
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new Args.UsageException(
                    "--data '" + spec + "' is neither a source " + RoutingSource.names() + " nor a file");
        }
        return PromptSample.read(file);
    }

    /** At most {@code limit} prompts, a seeded random choice (MMLU's rows are ordered by subject). */
    private static List<String> sample(List<String> prompts, int limit, long seed) {
        if (prompts.isEmpty()) {
            throw new Args.UsageException("no prompts to score");
        }
        if (prompts.size() <= limit) {
            return prompts;
        }
        List<String> shuffled = new ArrayList<>(prompts);
        Collections.shuffle(shuffled, new Random(seed));
        return shuffled.subList(0, limit);
    }
}
