package io.tastemaker.api;

/** A non-validation failure the client should see as it is: unknown product, broker unavailable... */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;

    public ApiException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "Service Unavailable", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
