/*
 * The C libusb reference for ausb's lab benchmark: the same work as dev.ausb.bench.LabBench, with
 * libusb's asynchronous API (N transfers in flight, resubmitted from the callback) and, for round
 * trips, libusb_bulk_transfer. Prints one RESULT line per run, in LabBench's format.
 *
 *   usbbench in|out VID PID EP SIZE N SECONDS
 *   usbbench rtt VID PID EPOUT EPIN SIZE SECONDS
 */
#include <libusb-1.0/libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static volatile int running = 1;
static long long bytes, transfers;
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
        bytes += t->actual_length;
        transfers++;
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
    if (argc < 8) {
        fprintf(stderr, "usage: usbbench in|out VID PID EP SIZE N SECONDS | rtt VID PID EPOUT EPIN SIZE SECONDS\n");
        return 2;
    }
    const char *mode = argv[1];
    int vid = strtol(argv[2], NULL, 16), pid = strtol(argv[3], NULL, 16);
    libusb_context *ctx;
    if (libusb_init(&ctx)) return 1;
    libusb_device_handle *h = libusb_open_device_with_vid_pid(ctx, vid, pid);
    if (!h || libusb_claim_interface(h, 0)) { fprintf(stderr, "cannot open %04x:%04x\n", vid, pid); return 1; }
    if (strcmp(mode, "rtt") == 0) {
        int out = strtol(argv[4], NULL, 16), in = strtol(argv[5], NULL, 16), size = atoi(argv[6]);
        double secs = atof(argv[7]);
        unsigned char buf[512], data[512];
        memset(data, 0x5a, sizeof data);
        int n;
        long long trips = 0;
        double t0 = now() + 0.3, t1 = t0 + secs, c0 = 0;
        for (int measuring = 0;;) {
            double t = now();
            if (!measuring && t >= t0) { measuring = 1; trips = 0; c0 = cpu(); }
            if (t >= t1) break;
            if (libusb_bulk_transfer(h, out, data, size, &n, 1000) || libusb_bulk_transfer(h, in, buf, 512, &n, 1000)) {
                fprintf(stderr, "round trip failed\n");
                return 1;
            }
            trips++;
        }
        double c = cpu() - c0;
        printf("RESULT c rtt %d 1 MBps=%.3f tps=%.1f cpu_ms_per_MB=%.2f alloc_per_transfer=0\n", size,
               trips * size * 2 / secs / 1e6, trips / secs, c * 1000 / (trips * size * 2 / 1e6));
    } else {
        int ep = strtol(argv[4], NULL, 16), size = atoi(argv[5]), count = atoi(argv[6]);
        double secs = atof(argv[7]);
        struct libusb_transfer **ts = calloc(count, sizeof *ts);
        for (int i = 0; i < count; i++) {
            ts[i] = libusb_alloc_transfer(0);
            unsigned char *b = calloc(1, size);
            libusb_fill_bulk_transfer(ts[i], h, ep, b, size, cb, NULL, 0);
            int rc = libusb_submit_transfer(ts[i]);
            if (rc) { fprintf(stderr, "submit %d of %d failed: %s\n", i + 1, count, libusb_error_name(rc)); return 1; }
            inflight++;
        }
        run_events(ctx, now() + 0.3); /* warm up */
        long long b0 = bytes, n0 = transfers;
        double c0 = cpu(), t0 = now();
        run_events(ctx, t0 + secs);
        double t = now() - t0, c = cpu() - c0;
        long long b = bytes - b0, n = transfers - n0;
        running = 0;
        for (int i = 0; i < count; i++) libusb_cancel_transfer(ts[i]);
        struct timeval tv = {0, 100000};
        while (inflight > 0) libusb_handle_events_timeout_completed(ctx, &tv, NULL);
        if (failed) { fprintf(stderr, "transfer failed: status %d\n", failed); return 1; }
        printf("RESULT c %s %d %d MBps=%.3f tps=%.1f cpu_ms_per_MB=%.2f alloc_per_transfer=0\n", mode, size, count,
               b / t / 1e6, n / t, c * 1000 / (b / 1e6));
    }
    libusb_release_interface(h, 0);
    libusb_close(h);
    libusb_exit(ctx);
    return 0;
}
