package dev.ausb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's exit codes match its help: the codes each help lists are the command table's, and
 * each code that can happen on a host without USB is provoked, per command: 2 (usage), 6 (no usbfs),
 * 7 (libusb missing, in a child JVM with AUSB_LIBUSB=/nope: the library keeps a loaded libusb for
 * the JVM's life), 0 and 1 where they need no device. The codes that need a device (1, 3, 4, 5 of
 * the USB commands, 130 of read) are the lab's.
 */
class ExitCodesTest {
    @TempDir
    static Path dir;
    private static Map<String, List<String>> valid;

    /** A command line each command accepts, reaching USB where it uses USB. */
    @BeforeAll
    static void validCommandLines() throws IOException {
        Path ihx = dir.resolve("fw.ihx");
        Files.writeString(ihx, ":03000000020006F5\n:00000001FF\n");
        ByteBuffer b = ByteBuffer.allocate(4 + 12 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'C', 'Y', 0x1c, (byte) 0xb0}).putInt(1).putInt(0x4000_0000).putInt(0x11223344);
        b.putInt(0).putInt(0x4000_0000).putInt(0x11223344);
        Path img = dir.resolve("fw.img");
        Files.write(img, b.array());
        valid = new LinkedHashMap<>();
        valid.put("list", List.of());
        valid.put("info", List.of("1a0a:badd"));
        valid.put("tree", List.of());
        valid.put("watch", List.of("--count", "1"));
        valid.put("hub", List.of());
        valid.put("control", List.of("1a0a:badd", "0x80", "6", "0x100", "0", "18"));
        valid.put("read", List.of("1a0a:badd", "0x81", "64K"));
        valid.put("write", List.of("1a0a:badd", "0x01", "--zeros", "1M"));
        valid.put("reset", List.of("1a0a:badd"));
        valid.put("fx2-load", List.of("04b4:8613", ihx.toString()));
        valid.put("fx3-load", List.of("04b4:00f3", img.toString()));
        valid.put("udev-rule", List.of("1a0a:badd"));
        valid.put("doctor", List.of("1a0a:badd"));
        valid.put("completion", List.of("fish"));
        valid.put("man-pages", List.of(dir.resolve("man").toString()));
        valid.put("version", List.of());
        valid.put("help", List.of("read"));
    }

    private static final Pattern EXIT = Pattern.compile("Exit codes: (.*)", Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("(?:^|, )(\\d+) ");

    /** The codes a help text lists in its "Exit codes:" paragraph. */
    static Set<Integer> documented(String help) {
        String para = ManPages.paragraphs(help).stream().map(p -> String.join(" ", p).replaceAll("\\s+", " "))
                .filter(p -> p.contains("Exit codes: ")).findFirst().orElse("");
        Matcher m = EXIT.matcher(para);
        Set<Integer> codes = new TreeSet<>();
        if (m.find()) {
            Matcher c = CODE.matcher(m.group(1));
            while (c.find()) {
                codes.add(Integer.parseInt(c.group(1)));
            }
        }
        return codes;
    }

    private static int run(List<String> args) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(sink, true, StandardCharsets.UTF_8);
        return Main.run(args.toArray(String[]::new), p, p);
    }

    /** Runs ausb in a child JVM with {@code env} added; returns its exit code. */
    static int child(Map<String, String> env, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ausb " + args + " did not end within 60 s");
        return p.exitValue();
    }

    private static boolean noUsbfsButLibusb() {
        return System.getProperty("os.name").toLowerCase().contains("linux") && !Files.exists(Path.of("/dev/bus/usb"))
                && (Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libusb-1.0.so.0"))
                        || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libusb-1.0.so.0")));
    }

    @Test
    void everyHelpListsExactlyTheCodesItsCommandCanReturn() {
        assertEquals(Commands.ALL.keySet(), valid.keySet(), "a valid command line for each command");
        for (Commands.Command c : Commands.ALL.values()) {
            assertEquals(c.exitCodes(), documented(c.help()), c.name() + ": the help's exit codes");
        }
    }

    @Test
    void usage_is2_forEveryCommand() {
        for (String c : Commands.ALL.keySet()) {
            List<String> bad = new ArrayList<>(List.of(c));
            bad.addAll(valid.get(c));
            bad.add("--no-such-option");
            assertEquals(Main.USAGE, run(bad), String.join(" ", bad));
        }
    }

    @Test
    void withoutUsbfs_everyUsbCommandExits6_andTheOthersWorkAsDocumented() {
        assumeTrue(noUsbfsButLibusb(), "needs Linux without /dev/bus/usb and with libusb");
        for (Commands.Command c : Commands.ALL.values()) {
            List<String> args = new ArrayList<>(List.of(c.name()));
            args.addAll(valid.get(c.name()));
            int expected = c.exitCodes().contains(Main.NO_USB) ? Main.NO_USB : Main.OK;
            assertEquals(expected, run(args), String.join(" ", args));
        }
    }

    @Test
    void withoutLibusb_everyCommandThatLoadsItExits7() throws Exception {
        assumeTrue(noUsbfsButLibusb() || Files.exists(Path.of("/dev/bus/usb")), "needs Linux");
        for (Commands.Command c : Commands.ALL.values()) {
            if (!c.exitCodes().contains(Main.NO_LIBUSB)) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of(c.name()));
            args.addAll(valid.get(c.name()));
            assertEquals(Main.NO_LIBUSB, child(Map.of("AUSB_LIBUSB", "/nope/libusb-1.0.so"), args), String.join(" ", args));
        }
        assertEquals(Main.OK, child(Map.of("AUSB_LIBUSB", "/nope/libusb-1.0.so"), List.of("--version")),
                "--version prints what it can without libusb");
    }

    @Test
    void manPages_exit1_whenTheDirectoryCannotBeWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertEquals(Main.ERROR, run(List.of("man-pages", file.resolve("man").toString())));
    }

    @Test
    void helpAndVersion_areFoundUnderEveryName() {
        for (List<String> args : List.of(List.of("--version"), List.of("-V"), List.of("version"), List.of("--help"),
                List.of("-h"), List.of("help"), List.of("help", "--help"))) {
            assertEquals(Main.OK, run(args), String.join(" ", args));
        }
        assertEquals(Main.USAGE, run(List.of("help", "frobnicate")));
        assertEquals(Main.USAGE, run(List.of()));
    }
}
