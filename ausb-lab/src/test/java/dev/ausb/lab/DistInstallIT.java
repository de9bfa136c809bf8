package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The distribution as a user installs it: the build's tarball unpacked into a directory of its own
 * (no JDK, no Maven, no checkout on the path), a link to its {@code bin/ausb} from elsewhere, and
 * the command run through that link against a gadget on the lab's real USB stack. Its man pages and
 * completions are there and well formed. The unpacking goes to tmpfs: the guest's /tmp is 9p, where
 * a JVM's mapped files misbehave.
 */
@Timeout(300)
class DistInstallIT {
    private static Path tarball() throws IOException {
        Path target = Lab.CHECKOUT.resolve("ausb-dist/target");
        try (Stream<Path> s = Files.list(target)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().matches("ausb-.*-linux-x86_64\\.tar\\.gz")).toList();
            assertEquals(1, found.size(), "one distribution tarball in " + target + ": " + found);
            return found.getFirst();
        }
    }

    @Test
    void theTarballInstalls_andItsAusbListsTheGadget_printsItsVersion_andBringsManPagesAndCompletions() throws Exception {
        Lab.requireGuest();
        Path shm = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of("/dev");
        Path prefix = Files.createTempDirectory(shm, "ausb-install");
        try {
            Path tarball = tarball();
            Lab.check("tar", "-xzf", tarball.toString(), "-C", prefix.toString());
            Path home;
            try (Stream<Path> s = Files.list(prefix)) {
                home = s.findFirst().orElseThrow(() -> new AssertionError("the tarball unpacked nothing"));
            }
            Path bin = Files.createDirectories(prefix.resolve("local-bin"));
            Path link = bin.resolve("ausb");
            Files.createSymbolicLink(link, home.resolve("bin/ausb"));

            LabResult version = Lab.run(List.of(link.toString(), "--version"));
            assertEquals(0, version.exitCode(), version.err());
            String name = home.getFileName().toString(); // ausb-VERSION-linux-x86_64
            String v = name.substring("ausb-".length(), name.length() - "-linux-x86_64".length());
            assertTrue(version.out().contains(v), "--version names " + v + ": " + version.out());
            assertTrue(version.out().contains("libusb"), version.out());

            try (Gadget g = Gadget.builder().productId(0x4d01).strings("Lab", "Installed").function("SourceSink", Map.of())
                    .maxSpeed("high-speed").udc(0).bind(); UsbContext usb = UsbContext.create()) {
                g.await(usb);
                LabResult list = Lab.run(List.of(link.toString(), "list", "-d", "1a0a:4d01"));
                assertEquals(0, list.exitCode(), list.err());
                assertTrue(list.out().contains("ID 1a0a:4d01"), list.out()); // names: the strings, or hwdb's where it knows the ids
                assertEquals(1, list.out().lines().count(), "-d lists that device only: " + list.out());
                LabResult none = Lab.run(List.of(link.toString(), "info", "1a0a:4d02"));
                assertEquals(3, none.exitCode(), "no device matched: " + none.err());
            }

            Path man = home.resolve("man/man1/ausb.1");
            assertTrue(Files.isRegularFile(man), "man page " + man);
            assertTrue(Files.readString(man).startsWith(".TH") || Files.readString(man).contains("\n.TH "), "roff: " + man);
            for (String c : List.of("completions/ausb.bash", "completions/_ausb", "completions/ausb.fish")) {
                assertTrue(Files.isRegularFile(home.resolve(c)), c);
            }
            Lab.check("bash", "-n", home.resolve("completions/ausb.bash").toString());
        } finally {
            Lab.run(List.of("rm", "-rf", prefix.toString())); // tmpfs: never left behind
        }
    }
}
