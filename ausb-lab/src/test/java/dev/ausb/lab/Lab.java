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

    /**
     * Runs a command with a bound on its time (120 s); fails the test if it does not end, with a
     * thread dump of the process when it is a JVM (so a hang says where it is).
     */
    static LabResult run(List<String> cmd) {
        return run(cmd, null);
    }

    /** As {@link #run(List)}, in the working directory {@code dir} (null: this one). */
    static LabResult run(List<String> cmd, Path dir) {
        try {
            Path out = java.nio.file.Files.createTempFile("lab-out", ".txt");
            Path err = java.nio.file.Files.createTempFile("lab-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                String dump = "";
                try {
                    Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                            "" + p.pid(), "Thread.print").redirectErrorStream(true).start();
                    if (j.waitFor(20, TimeUnit.SECONDS)) {
                        dump = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    }
                    j.destroyForcibly();
                } catch (IOException | InterruptedException ignored) {
                    // no dump
                }
                p.destroyForcibly();
                fail("timed out after 120 s: " + cmd + "\nstdout:\n" + java.nio.file.Files.readString(out)
                        + "\nstderr:\n" + java.nio.file.Files.readString(err) + "\nthreads:\n" + dump);
            }
            LabResult r = new LabResult(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
            return r;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("could not run " + cmd, e);
        }
    }

    /** Runs the ausb command from the built jars, on the module path, as bin/ausb does. */
    /** Starts {@code ausb ARGS} in its own JVM without waiting; its standard output goes to {@code out}. */
    static Process startAusb(Path out, String... args) throws IOException {
        String modulePath = System.getProperty("ausb.lab.modulepath");
        assertTrue(modulePath != null, "-Dausb.lab.modulepath is set by ausb-lab/lab/test");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-XX:ErrorFile=/tmp/hs_err_pid%p.log", "--enable-native-access=dev.ausb", "-p", modulePath,
                "-m", "dev.ausb.cli/dev.ausb.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static LabResult ausb(String... args) {
        String modulePath = System.getProperty("ausb.lab.modulepath");
        assertTrue(modulePath != null, "-Dausb.lab.modulepath is set by ausb-lab/lab/test");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-XX:ErrorFile=/tmp/hs_err_pid%p.log", "--enable-native-access=dev.ausb", "-p", modulePath, "-m", "dev.ausb.cli/dev.ausb.cli.Main"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /**
     * Runs {@code ausb ARGS} in its own JVM as user and group 65534 (nobody), without supplementary
     * groups. The module path's jars are copied to a directory anyone may read first, and the
     * command runs there: a checkout under /tmp sits below the guest's /tmp, the run's work
     * directory, which only root may enter. The copy goes to /dev/shm (or /dev), tmpfs in the guest.
     */
    static LabResult ausbAsNobody(String... args) {
        String modulePath = System.getProperty("ausb.lab.modulepath");
        assertTrue(modulePath != null, "-Dausb.lab.modulepath is set by ausb-lab/lab/test");
        try {
            Path base = java.nio.file.Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of("/dev");
            Path dir = java.nio.file.Files.createTempDirectory(base, "ausb-nobody");
            java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> copied = new ArrayList<>();
            for (String entry : modulePath.split(java.io.File.pathSeparator)) {
                Path from = Path.of(entry);
                if (!java.nio.file.Files.isRegularFile(from)) {
                    continue; // an exploded directory: the lab's module path is jars
                }
                Path to = dir.resolve(copied.size() + "-" + from.getFileName());
                java.nio.file.Files.copy(from, to);
                java.nio.file.Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                copied.add(to.toString());
            }
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
                    "-XX:ErrorFile=/tmp/hs_err_pid%p.log", "--enable-native-access=dev.ausb", "-p",
                    String.join(java.io.File.pathSeparator, copied), "-m", "dev.ausb.cli/dev.ausb.cli.Main"));
            cmd.addAll(List.of(args));
            try {
                return run(cmd, dir);
            } finally {
                for (String c : copied) {
                    java.nio.file.Files.deleteIfExists(Path.of(c));
                }
                java.nio.file.Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new AssertionError("could not prepare the jars for nobody", e);
        }
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
