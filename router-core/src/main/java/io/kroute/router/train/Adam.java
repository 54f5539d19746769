package io.kroute.router.train;

/** Adam over one flat parameter array, with decoupled weight decay (AdamW). */
final class Adam {

    private final float[] params;
    private final float[] m;
    private final float[] v;
    private final double lr;
    private final double weightDecay;
    private int step;

    Adam(float[] params, double lr, double weightDecay) {
        this.params = params;
        this.m = new float[params.length];
        this.v = new float[params.length];
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    void apply(float[] grad) {
        step++;
        double b1 = 0.9;
        double b2 = 0.999;
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < params.length; i++) {
            m[i] = (float) (b1 * m[i] + (1 - b1) * grad[i]);
            v[i] = (float) (b2 * v[i] + (1 - b2) * grad[i] * grad[i]);
            double update = (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
            params[i] -= (float) (lr * (update + weightDecay * params[i]));
        }
    }
}
