package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Facts and helpers of the lab guest the *IT tests run in (see ausb-lab/lab/run). */
final class Lab {
    private Lab() {}

    /** The checkout (the tests run with it as working directory). */
    static final Path CHECKOUT = Path.of("").toAbsolutePath();

    /** Fails fast, with a reason, when a lab test is started outside the lab guest. */
    static void requireGuest() {
        assertTrue("1".equals(System.getenv("AUSB_LAB")),
                "lab tests run inside the USB lab: use bin/test (or ausb-lab/lab/test)");
    }

    /** Runs a command with a bound on its time; fails the test if it does not end. */
    static LabResult run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            var out = p.getInputStream();
            var err = p.getErrorStream();
            var errText = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    errText.complete("");
                }
            });
            String outText = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            return new LabResult(p.exitValue(), outText, errText.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("could not run " + cmd, e);
        }
    }

    /** Runs the ausb command from the built jars, on the module path, as bin/ausb does. */
    static LabResult ausb(String... args) {
        String modulePath = System.getProperty("ausb.lab.modulepath");
        assertTrue(modulePath != null, "-Dausb.lab.modulepath is set by ausb-lab/lab/test");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-XX:ErrorFile=/tmp/hs_err_pid%p.log", "--enable-native-access=dev.ausb", "-p", modulePath, "-m", "dev.ausb.cli/dev.ausb.cli.Main"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs a command that must succeed; returns its standard output. */
    static String check(String... cmd) {
        LabResult r = run(List.of(cmd));
        if (r.exitCode() != 0) {
            fail(String.join(" ", cmd) + " exited " + r.exitCode() + ": " + r.err());
        }
        return r.out();
    }
}
