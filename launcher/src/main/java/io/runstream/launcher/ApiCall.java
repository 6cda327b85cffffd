package io.runstream.launcher;

import java.io.IOException;
import java.io.PrintWriter;

import io.runstream.launcher.api.ApiException;

/** Runs one call to the incident API and turns its failure into a message on stderr and the exit code. */
final class ApiCall {

    /** The call's body; returns the exit code. */
    @FunctionalInterface
    interface Body {
        int run() throws InterruptedException, IOException;
    }

    private ApiCall() {
    }

    static int run(Body body, PrintWriter err) {
        try {
            return body.run();
        } catch (ApiException e) {
            err.println("runstream: " + e.getMessage());
            return e.exitCode();
        } catch (IllegalArgumentException e) {
            err.println("runstream: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("runstream: cannot print the answer: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
