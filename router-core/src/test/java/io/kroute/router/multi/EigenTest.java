package io.kroute.router.multi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EigenTest {

    @Test
    void the_top_eigenvector_of_a_known_matrix() {
        // eigenvalues 3 (along (1,1)/sqrt2) and 1 (along (1,-1)/sqrt2)
        double[][] v = Eigen.top(new double[][] {{2, 1}, {1, 2}}, 1);
        assertThat(Math.abs(v[0][0])).isCloseTo(Math.sqrt(0.5), within(1e-9));
        assertThat(v[0][0] * v[1][0]).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void eigenvectors_are_orthonormal_and_ordered() {
        double[][] a = {{4, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 1}};
        double[][] v = Eigen.top(a, 3);
        for (int f = 0; f < 3; f++) {
            for (int g = 0; g < 3; g++) {
                double dot = 0;
                for (int r = 0; r < 3; r++) {
                    dot += v[r][f] * v[r][g];
                }
                assertThat(dot).isCloseTo(f == g ? 1 : 0, within(1e-9));
            }
        }
        assertThat(rayleigh(a, v, 0)).isGreaterThan(rayleigh(a, v, 1));
        assertThat(rayleigh(a, v, 1)).isGreaterThan(rayleigh(a, v, 2));
    }

    private static double rayleigh(double[][] a, double[][] v, int f) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                s += v[i][f] * a[i][j] * v[j][f];
            }
        }
        return s;
    }
}
