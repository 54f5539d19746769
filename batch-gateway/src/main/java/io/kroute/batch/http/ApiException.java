package io.kroute.batch.http;

/** A refused API call: its HTTP status and OpenAI's error fields. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    public ApiException(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", null, param, message);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "invalid_request_error", null, null, "No such " + what + ": '" + id + "'");
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "server_error", null, null, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }
}
