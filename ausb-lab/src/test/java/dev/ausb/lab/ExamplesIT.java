package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.examples.ControlTransfers;
import dev.ausb.examples.DeviceInfo;
import dev.ausb.examples.EndpointEcho;
import dev.ausb.examples.ListDevices;
import dev.ausb.examples.ReadWithTimeout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples (the Python original's README samples in Java) run against the lab's gadgets. */
@Timeout(120)
class ExamplesIT {
    private static String run(Consumer<String[]> main, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.accept(args);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void samplesOfThePythonReadme_workInJava() {
        Lab.requireGuest();
        try (Gadget ss = Gadget.builder().function("SourceSink", Map.of()).maxSpeed("high-speed").udc(0).bind();
                Gadget lb = Gadget.builder().productId(0x100b).strings("Lab", "Loopback")
                        .function("Loopback", Map.of()).maxSpeed("high-speed").udc(1).bind()) {
            try (var usb = dev.ausb.UsbContext.create()) {
                ss.await(usb);
                lb.await(usb);
            }
            String list = run(ListDevices::main);
            assertTrue(list.contains("ID 1a0a:badd Lab SourceSink\n"), list);
            assertTrue(list.contains("ID 1a0a:100b Lab Loopback\n"), list);

            String info = run(DeviceInfo::main, "1a0a", "badd");
            assertTrue(info.contains(" Control Endpoint 00, MPS=64\n"), info);
            assertTrue(info.contains("    Bulk In Endpoint 01, MPS=512, interval=0\n"), info);

            assertEquals("read back: hello from java\n", run(ControlTransfers::main, "1a0a", "badd", "hello from java"));
            assertEquals("echo: ping\n", run(EndpointEcho::main, "1a0a", "100b", "ping"));
            assertEquals("timed out; the transfer was CANCELLED\n", run(ReadWithTimeout::main, "1a0a", "100b", "300"));
        }
    }
}
