package io.kroute.router.onnx;

import ai.onnxruntime.OrtEnvironment;

/**
 * The process's ONNX Runtime environment, created on a thread with a large stack. ONNX Runtime 1.29 needs more than
 * the JVM's default 1 MiB of stack to create its environment on some hosts: measured on the 2-core CI machine, the
 * JVM died with SIGSEGV (no hs_err file) in {@code OrtEnvironment.createHandle} depending only on the length of the
 * class path, and {@code -Xss4m} made it pass. Creating it here does not depend on the caller's thread or flags.
 */
public final class OnnxEnvironment {

    private static final long STACK_BYTES = 64L * 1024 * 1024;
    private static volatile OrtEnvironment environment;

    private OnnxEnvironment() {}

    public static OrtEnvironment get() {
        OrtEnvironment env = environment;
        if (env != null) {
            return env;
        }
        synchronized (OnnxEnvironment.class) {
            if (environment == null) {
                OrtEnvironment[] created = new OrtEnvironment[1];
                RuntimeException[] failed = new RuntimeException[1];
                Error[] fatal = new Error[1];
                Thread starter = new Thread(
                        null,
                        () -> {
                            try {
                                created[0] = OrtEnvironment.getEnvironment();
                            } catch (RuntimeException e) {
                                failed[0] = e;
                            } catch (Error e) {
                                fatal[0] = e;
                            }
                        },
                        "onnxruntime-init",
                        STACK_BYTES);
                starter.start();
                try {
                    starter.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting ONNX Runtime", e);
                }
                if (failed[0] != null) {
                    throw failed[0];
                }
                if (fatal[0] != null) {
                    throw fatal[0];
                }
                environment = created[0];
            }
            return environment;
        }
    }
}
