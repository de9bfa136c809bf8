package dev.ausb.lab;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * An example program run in this JVM with its standard output and error captured: on the caller's
 * thread ({@link #run}) or on a thread of its own ({@link #start}) that the test can watch (what it
 * printed so far, where it waits) and then join with a bound. Closing restores System.out and
 * System.err and interrupts the program if it still runs. One at a time: the streams are the JVM's.
 */
final class ExampleRun implements AutoCloseable {
    /** What a run ended with. */
    record Result(int status, String out, String err) {}

    private final PrintStream oldOut = System.out;
    private final PrintStream oldErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final String label;
    private Thread thread;
    private volatile int status = -1;
    private volatile Throwable thrown;
    private boolean closed;

    private ExampleRun(String label) {
        this.label = label;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Captures the output of what the caller runs until {@link #close()}. */
    static ExampleRun capture() {
        return new ExampleRun("main");
    }

    /** Runs {@code main} on the caller's thread and returns its status and output. */
    static Result run(String name, ToIntFunction<String[]> main, String... args) {
        ExampleRun r = new ExampleRun(name + " " + String.join(" ", args));
        int status;
        try {
            status = main.applyAsInt(args);
        } finally {
            r.close();
        }
        return r.report(status);
    }

    /** Starts {@code main} on a thread of its own, named {@code example-NAME}. */
    static ExampleRun start(String name, ToIntFunction<String[]> main, String... args) {
        ExampleRun r = new ExampleRun(name + " " + String.join(" ", args));
        r.thread = new Thread(() -> {
            try {
                r.status = main.applyAsInt(args);
            } catch (Throwable t) {
                r.thrown = t;
            }
        }, "example-" + name);
        r.thread.start();
        return r;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Waits, at most {@code bound}, until the program has printed {@code text}. */
    void awaitOutput(String text, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!out().contains(text)) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                throw new AssertionError(label + " did not print \"" + text + "\" within " + bound + ": " + out() + err());
            }
            Thread.sleep(10);
        }
    }

    /** Waits, at most {@code bound}, until the program's thread is parked inside {@code className.method}. */
    void awaitWaitingIn(String className, String method, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Thread.State state = thread.getState();
            if ((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                    && Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getClassName().equals(className)
                            && f.getMethodName().equals(method))) {
                return;
            }
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                throw new AssertionError(label + " never waited in " + className + "." + method + " within " + bound
                        + " (" + state + "): " + out() + err());
            }
            Thread.sleep(10);
        }
    }

    /** Joins the program's thread, at most {@code bound}, and returns how it ended. */
    Result await(Duration bound) throws InterruptedException {
        thread.join(bound.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError(label + " still runs after " + bound + ": " + out() + err());
        }
        close();
        if (thrown != null) {
            throw new AssertionError(label + " threw instead of returning a status: " + out() + err(), thrown);
        }
        return report(status);
    }

    private Result report(int status) {
        Result r = new Result(status, out(), err());
        System.out.println("ExamplesIT: " + label + " -> " + status + "\n" + r.out() + r.err());
        return r;
    }

    /** Restores the standard streams; interrupts the program if it still runs. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        System.setOut(oldOut);
        System.setErr(oldErr);
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
        }
    }
}
