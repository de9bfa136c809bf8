package dev.ausb.cli;

import dev.ausb.lab.LabResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the ausb command inside the test JVM: a JVM start costs seconds under emulation, so tests
 * that run the command once per device use this; the others start the real launcher.
 */
public final class InProcess {
    private InProcess() {}

    public static LabResult ausb(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new LabResult(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
