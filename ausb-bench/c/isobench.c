/*
 * The C libusb reference for ausb's isochronous benchmark (bin/bench-iso): N isochronous transfers
 * of PACKETS packets of LEN bytes in flight on interface 0, alternate setting 1, each resubmitted
 * from its callback (OUT packets refilled from a frame first, as a writer would), for SECONDS after a
 * 0.3 s warm-up. Prints one RESULT line in IsoBench's format.
 *
 *   isobench in|out VID PID EP PACKETS LEN N SECONDS
 */
#include <libusb-1.0/libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static volatile int running = 1;
static int out_mode;
static unsigned char frame[65536]; /* what an OUT writer has to send: copied into every packet, as ausb's writer does */
static long long bytes, packets, bad;
static int inflight, failed;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6 + r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
}

static void LIBUSB_CALL cb(struct libusb_transfer *t) {
    if (t->status == LIBUSB_TRANSFER_COMPLETED) {
        for (int i = 0; i < t->num_iso_packets; i++) {
            struct libusb_iso_packet_descriptor *p = &t->iso_packet_desc[i];
            if (p->status == LIBUSB_TRANSFER_COMPLETED) bytes += p->actual_length; else bad++;
            packets++;
        }
        if (out_mode) { /* refill the packets before they go out again: the work of a real writer */
            for (int i = 0; i < t->num_iso_packets; i++)
                memcpy(libusb_get_iso_packet_buffer_simple(t, i), frame, t->iso_packet_desc[i].length);
        }
        if (running && libusb_submit_transfer(t) == 0) return;
    } else if (t->status != LIBUSB_TRANSFER_CANCELLED) {
        failed = t->status;
    }
    inflight--;
}

static void run_events(libusb_context *ctx, double until) {
    struct timeval tv = {0, 100000};
    while (now() < until && !failed) libusb_handle_events_timeout_completed(ctx, &tv, NULL);
}

int main(int argc, char **argv) {
    if (argc < 9) {
        fprintf(stderr, "usage: isobench in|out VID PID EP PACKETS LEN N SECONDS\n");
        return 2;
    }
    const char *mode = argv[1];
    int vid = strtol(argv[2], NULL, 16), pid = strtol(argv[3], NULL, 16), ep = strtol(argv[4], NULL, 16);
    int np = atoi(argv[5]), len = atoi(argv[6]), count = atoi(argv[7]);
    double secs = atof(argv[8]);
    out_mode = strcmp(mode, "out") == 0;
    if (len > (int) sizeof frame) { fprintf(stderr, "packets of at most %zu bytes\n", sizeof frame); return 2; }
    memset(frame, 0x5a, sizeof frame);
    libusb_context *ctx;
    if (libusb_init(&ctx)) return 1;
    libusb_device_handle *h = libusb_open_device_with_vid_pid(ctx, vid, pid);
    if (!h || libusb_claim_interface(h, 0) || libusb_set_interface_alt_setting(h, 0, 1)) {
        fprintf(stderr, "cannot open %04x:%04x, interface 0 alternate setting 1\n", vid, pid);
        return 1;
    }
    struct libusb_transfer **ts = calloc(count, sizeof *ts);
    for (int i = 0; i < count; i++) {
        ts[i] = libusb_alloc_transfer(np);
        unsigned char *b = calloc(np, len);
        libusb_fill_iso_transfer(ts[i], h, ep, b, np * len, np, cb, NULL, 0);
        libusb_set_iso_packet_lengths(ts[i], len);
        int rc = libusb_submit_transfer(ts[i]);
        if (rc) { fprintf(stderr, "submit %d of %d failed: %s\n", i + 1, count, libusb_error_name(rc)); return 1; }
        inflight++;
    }
    run_events(ctx, now() + 0.3); /* warm up */
    long long b0 = bytes, p0 = packets, x0 = bad;
    double c0 = cpu(), t0 = now();
    run_events(ctx, t0 + secs);
    double t = now() - t0, c = cpu() - c0;
    long long b = bytes - b0, p = packets - p0, x = bad - x0;
    running = 0;
    for (int i = 0; i < count; i++) libusb_cancel_transfer(ts[i]);
    struct timeval tv = {0, 100000};
    while (inflight > 0) libusb_handle_events_timeout_completed(ctx, &tv, NULL);
    if (failed) { fprintf(stderr, "transfer failed: status %d\n", failed); return 1; }
    printf("RESULT c iso-%s %dx%dx%d MBps=%.3f pps=%.1f bad=%lld cpu_ms_per_MB=%.2f\n", mode, count, np, len,
           b / t / 1e6, p / t, x, c * 1000 / (b / 1e6));
    libusb_set_interface_alt_setting(h, 0, 0);
    libusb_release_interface(h, 0);
    libusb_close(h);
    libusb_exit(ctx);
    return 0;
}
