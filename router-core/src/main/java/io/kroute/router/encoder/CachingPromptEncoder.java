package io.kroute.router.encoder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** Encodes only what the on-disk cache lacks, in chunks, reporting progress: training and evaluation reuse vectors. */
public final class CachingPromptEncoder implements PromptEncoder {

    private static final int CHUNK = 512;

    private final PromptEncoder delegate;
    private final EmbeddingCache cache;
    private final IntConsumer progress;

    public CachingPromptEncoder(PromptEncoder delegate, EmbeddingCache cache, IntConsumer progress) {
        this.delegate = delegate;
        this.cache = cache;
        this.progress = progress;
    }

    /**
     * {@code base} with its exact (batch-1) vectors cached under {@code directory}; the static encoder is returned as
     * it is, since it computes a vector faster than the cache hashes and looks one up.
     */
    public static PromptEncoder onDisk(PromptEncoder base, java.nio.file.Path directory, IntConsumer progress) {
        if (base instanceof StaticTokenEncoder) {
            return base;
        }
        return new CachingPromptEncoder(
                base, new EmbeddingCache(directory, base.id() + "/exact", base.dimension()), progress);
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public float[][] encode(List<String> prompts) {
        float[][] out = new float[prompts.size()][];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            out[i] = cache.get(prompts.get(i));
            if (out[i] == null) {
                missing.add(prompts.get(i));
            }
        }
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(missing));
        for (int start = 0; start < distinct.size(); start += CHUNK) {
            List<String> chunk = distinct.subList(start, Math.min(distinct.size(), start + CHUNK));
            float[][] vectors = delegate.encode(chunk);
            Map<String, float[]> entries = new LinkedHashMap<>();
            for (int k = 0; k < vectors.length; k++) {
                entries.put(chunk.get(k), vectors[k]);
            }
            cache.putAll(entries);
            progress.accept(Math.min(distinct.size(), start + CHUNK));
        }
        if (!missing.isEmpty()) {
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    out[i] = cache.get(prompts.get(i));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
