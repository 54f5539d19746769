package io.kroute.router.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Opening and closing the ONNX Runtime sessions of router heads, with the errors a caller can act on. */
final class OnnxSessions {

    private OnnxSessions() {}

    /** @param intraOpThreads 0 lets ONNX Runtime choose */
    static OrtSession open(byte[] graph, int intraOpThreads) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            return OnnxEnvironment.get().createSession(graph, options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("not a loadable ONNX graph: " + e.getMessage(), e);
        }
    }

    static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
