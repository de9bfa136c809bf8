package dev.ausb.internal.libusb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles a C program against libusb.h that prints {@code offsetof} and {@code sizeof} of every
 * named field of every layout in {@link Structs}, and compares them with the Java layouts.
 *
 * <p>Needs gcc and libusb-1.0-0-dev; CI installs both, so there (CI=true) their absence fails the
 * test instead of skipping it.
 */
class LayoutCheckTest {
    private static final List<StructLayout> LAYOUTS = List.of(Structs.VERSION, Structs.DEVICE_DESCRIPTOR,
            Structs.ENDPOINT_DESCRIPTOR, Structs.INTERFACE_DESCRIPTOR, Structs.INTERFACE, Structs.CONFIG_DESCRIPTOR,
            Structs.ISO_PACKET_DESCRIPTOR, Structs.TRANSFER, Structs.TIMEVAL);

    @Test
    void everyOffsetAndSize_matchesTheCHeader(@TempDir Path dir) throws Exception {
        Path header = Path.of("/usr/include/libusb-1.0/libusb.h");
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeTrue(Files.exists(header) && onPath("gcc"), "needs gcc and libusb-1.0-0-dev");
        }
        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <sys/time.h>
                #include <libusb-1.0/libusb.h>
                int main(void) {
                """);
        List<String> expected = new ArrayList<>();
        for (StructLayout s : LAYOUTS) {
            String type = "struct " + s.name().orElseThrow();
            c.append(String.format("  printf(\"%s sizeof %%zu\\n\", sizeof(%s));%n", s.name().orElseThrow(), type));
            expected.add(s.name().orElseThrow() + " sizeof " + s.byteSize());
            for (MemoryLayout m : s.memberLayouts()) {
                if (m.name().isEmpty()) {
                    continue; // padding
                }
                String f = m.name().get();
                c.append(String.format("  printf(\"%s %s %%zu\\n\", offsetof(%s, %s));%n", s.name().get(), f, type, f));
                expected.add(s.name().get() + " " + f + " " + Structs.offset(s, f));
                if (!(m instanceof GroupLayout) && !(m instanceof java.lang.foreign.SequenceLayout)) {
                    c.append(String.format("  printf(\"%s %s.size %%zu\\n\", sizeof(((%s*)0)->%s));%n",
                            s.name().get(), f, type, f));
                    expected.add(s.name().get() + " " + f + ".size " + m.byteSize());
                }
            }
        }
        c.append("  return 0;\n}\n");
        Path src = dir.resolve("layout.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("layout");
        run(List.of("gcc", "-o", exe.toString(), src.toString()));
        List<String> actual = List.of(run(List.of(exe.toString())).split("\n"));
        Map<String, String> want = index(expected);
        Map<String, String> got = index(actual);
        assertEquals(want.keySet(), got.keySet());
        for (var e : want.entrySet()) {
            assertEquals(got.get(e.getKey()), e.getValue(), "layout of " + e.getKey());
        }
        assertTrue(want.size() > 60, "checked " + want.size() + " facts");
    }

    private static Map<String, String> index(List<String> lines) {
        Map<String, String> m = new HashMap<>();
        for (String l : lines) {
            int i = l.lastIndexOf(' ');
            m.put(l.substring(0, i), l.substring(i + 1));
        }
        return m;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), cmd + " failed:\n" + out);
        return out.strip();
    }
}
