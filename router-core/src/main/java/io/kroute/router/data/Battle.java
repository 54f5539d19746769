package io.kroute.router.data;

/**
 * One pairwise comparison. JSONL form: {@code {"prompt": "...", "model_a": "...", "model_b": "...", "winner":
 * "model_a"|"model_b"|"tie"}}.
 */
public record Battle(String prompt, String modelA, String modelB, Outcome winner) {

    public enum Outcome {
        MODEL_A("model_a"),
        MODEL_B("model_b"),
        TIE("tie");

        private final String json;

        Outcome(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        public static Outcome parse(String text) {
            for (Outcome o : values()) {
                if (o.json.equals(text)) {
                    return o;
                }
            }
            if (text != null && text.startsWith("tie")) {
                return TIE; // Arena's "tie (bothbad)"
            }
            throw new IllegalArgumentException("winner must be model_a, model_b or tie, got '" + text + "'");
        }
    }

    /** 1 if A won, 0 if B won, 0.5 for a tie. */
    public double scoreA() {
        return switch (winner) {
            case MODEL_A -> 1.0;
            case MODEL_B -> 0.0;
            case TIE -> 0.5;
        };
    }
}
