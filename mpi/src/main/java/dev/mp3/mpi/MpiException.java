package dev.mp3.mpi;

/** An MPI call that failed, or an MPI library that could not be used; the message says which and why. */
public final class MpiException extends RuntimeException {
    public MpiException(String message) {
        super(message);
    }
}
