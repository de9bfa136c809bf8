package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One isochronous transfer through plain C libusb (the reference beside {@link IsochronousIT}): a small
 * program compiled in the lab guest, which claims interface 0, selects an alternate setting, submits
 * one transfer of N packets of LEN bytes (OUT packets filled with their number + 1) and prints each
 * packet's actual length, libusb status and first byte.
 */
final class IsoProbe {
    /** One packet as libusb handed it back; {@code firstByte} -1 when it carried nothing. */
    record Packet(int actualLength, int status, int firstByte) {}

    /** The transfer's libusb status (0 completed) and its packets. */
    record Result(int transferStatus, List<Packet> packets) {}

    private static final String SOURCE = """
            #include <libusb-1.0/libusb.h>
            #include <stdio.h>
            #include <stdlib.h>
            static int done;
            static void cb(struct libusb_transfer *t) { done = 1; }
            int main(int argc, char **argv) {
              int vid = strtol(argv[1], 0, 16), pid = strtol(argv[2], 0, 16), ep = strtol(argv[3], 0, 16);
              int alt = atoi(argv[4]), n = atoi(argv[5]), len = atoi(argv[6]);
              libusb_context *ctx;
              if (libusb_init(&ctx)) return 2;
              libusb_device_handle *h = libusb_open_device_with_vid_pid(ctx, vid, pid);
              if (!h) { puts("no device"); return 3; }
              if (libusb_claim_interface(h, 0) || libusb_set_interface_alt_setting(h, 0, alt)) { puts("claim or alt failed"); return 4; }
              struct libusb_transfer *t = libusb_alloc_transfer(n);
              unsigned char *buf = calloc(n, len);
              if (!(ep & 0x80)) for (int i = 0; i < n * len; i++) buf[i] = (unsigned char) (i / len + 1);
              libusb_fill_iso_transfer(t, h, ep, buf, n * len, n, cb, 0, 5000);
              libusb_set_iso_packet_lengths(t, len);
              int r = libusb_submit_transfer(t);
              if (r) { printf("submit failed %d\\n", r); return 5; }
              while (!done) { struct timeval tv = {1, 0}; libusb_handle_events_timeout_completed(ctx, &tv, &done); }
              printf("transfer %d\\n", t->status);
              for (int i = 0; i < n; i++) {
                struct libusb_iso_packet_descriptor *d = &t->iso_packet_desc[i];
                unsigned char *p = libusb_get_iso_packet_buffer(t, i);
                printf("packet %u %d %d\\n", d->actual_length, d->status, d->actual_length ? p[0] : -1);
              }
              return 0;
            }
            """;

    private static Path binary;

    private IsoProbe() {}

    /** Runs one transfer of {@code packets} x {@code length} bytes on {@code endpoint} (bounded: 5 s transfer timeout). */
    static Result transfer(int vid, int pid, int endpoint, int alt, int packets, int length) {
        Path exe = compile();
        String out = Lab.check("timeout", "30", exe.toString(), Integer.toHexString(vid), Integer.toHexString(pid),
                Integer.toHexString(endpoint), String.valueOf(alt), String.valueOf(packets), String.valueOf(length));
        List<String> lines = out.lines().toList();
        assertEquals(packets + 1, lines.size(), out);
        int status = Integer.parseInt(lines.getFirst().split(" ")[1]);
        List<Packet> result = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(" ");
            result.add(new Packet(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])));
        }
        return new Result(status, result);
    }

    private static synchronized Path compile() {
        if (binary == null) {
            try {
                Path dir = Files.createTempDirectory("isoprobe");
                Path c = dir.resolve("isoprobe.c");
                Files.writeString(c, SOURCE);
                Path exe = dir.resolve("isoprobe");
                Lab.check("gcc", "-O1", "-o", exe.toString(), c.toString(), "-lusb-1.0");
                binary = exe;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return binary;
    }
}
