package io.tastemaker.vectors;

/** A vector store refused or failed an operation; the message says which and why. */
public class VectorStoreException extends RuntimeException {

    private final io.grpc.Status.Code code;

    public VectorStoreException(String message, Throwable cause, io.grpc.Status.Code code) {
        super(message, cause);
        this.code = code;
    }

    /** The gRPC status of a remote store's failure. */
    public io.grpc.Status.Code code() {
        return code;
    }
}
