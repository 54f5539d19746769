package io.kroute.router.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A router head fresh from training: scores prompt vectors in memory and saves itself into a router directory. */
public interface TrainedHead {

    String kind();

    /** The models it can route between. */
    List<String> models();

    /**
     * P(strong's answer is at least as good as weak's) for each prompt; {@code vectors[i]} is prompt i's vector. Most
     * heads read only the vectors, ridge-knn reads the text too (word n-grams, surface features).
     */
    double[] score(List<String> prompts, float[][] vectors, String strong, String weak);

    /** Writes the head's files into the directory and returns the main file's name. */
    String save(Path directory) throws IOException;

    Map<String, Object> hyperparameters();
}
