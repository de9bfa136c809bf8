/*
 * The C libusb reference for ausb's cancel-latency benchmark (dev.ausb.bench.CancelBench does the
 * same with ausb). On an IN endpoint that has nothing to send, each worker repeats: submit one
 * transfer, wait DELAY_US so it is surely in the kernel, t0, libusb_cancel_transfer, wait until the
 * callback has run (an event thread handles libusb's events, as in ausb), t1. The latency is t1 - t0.
 *
 *   cancelbench NAME BUS ADDR IFACE EP LEN THREADS COUNT|SECONDS DELAY_US
 *
 * THREADS 1: COUNT cancels (after 20 discarded ones). THREADS > 1: that many threads on the same
 * endpoint for SECONDS. The kernel driver is detached first (libusb_set_auto_detach_kernel_driver).
 * Prints one line:
 *   CANCEL c NAME THREADS n=.. cancelled=.. other=.. stuck=.. secs=.. cps=.. median_us=.. p90_us=.. p99_us=.. max_us=..
 * n counts cancels tried, cancelled those reaped with LIBUSB_TRANSFER_CANCELLED (the latencies are
 * theirs), other those that ended otherwise (data arrived: the endpoint was not idle), stuck those
 * not reaped within 5 s (the worker then stops). Percentiles are nearest-rank.
 */
#include <libusb-1.0/libusb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct req {
    pthread_mutex_t m;
    pthread_cond_t c;
    int done, status;
};

struct worker {
    pthread_t thread;
    long long count;     /* single-thread: cancels to measure */
    double until;        /* multi-thread: stop submitting at this time */
    double *lat;         /* microseconds */
    long long n, cap, tried, other, stuck;
};

static libusb_context *ctx;
static libusb_device_handle *h;
static int ep, len, type, delay_us;
static volatile int stop_events;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void LIBUSB_CALL cb(struct libusb_transfer *t) {
    struct req *r = t->user_data;
    pthread_mutex_lock(&r->m);
    r->done = 1;
    r->status = t->status;
    pthread_cond_signal(&r->c);
    pthread_mutex_unlock(&r->m);
}

static void *events(void *arg) {
    (void) arg;
    struct timeval tv = {0, 100000};
    while (!stop_events) libusb_handle_events_timeout_completed(ctx, &tv, NULL);
    return NULL;
}

static void sleep_us(int us) {
    struct timespec t = {us / 1000000, (us % 1000000) * 1000L};
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &t, &t)) {}
}

/* One submit-wait-cancel-reap cycle; 0 reaped cancelled (latency in *us), 1 reaped otherwise, -1 stuck. */
static int cycle(struct libusb_transfer *t, struct req *r, double *us) {
    r->done = 0;
    int rc = libusb_submit_transfer(t);
    if (rc) { fprintf(stderr, "cancelbench: submit failed: %s\n", libusb_error_name(rc)); exit(1); }
    sleep_us(delay_us);
    double t0 = now();
    libusb_cancel_transfer(t); /* NOT_FOUND if it completed meanwhile: the callback still comes */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    pthread_mutex_lock(&r->m);
    while (!r->done) {
        if (pthread_cond_timedwait(&r->c, &r->m, &deadline)) break;
    }
    int done = r->done, status = r->status;
    pthread_mutex_unlock(&r->m);
    double t1 = now();
    if (!done) return -1;
    *us = (t1 - t0) * 1e6;
    return status == LIBUSB_TRANSFER_CANCELLED ? 0 : 1;
}

static void *work(void *arg) {
    struct worker *w = arg;
    struct req r;
    pthread_mutex_init(&r.m, NULL);
    pthread_cond_init(&r.c, NULL);
    struct libusb_transfer *t = libusb_alloc_transfer(0);
    unsigned char *buf = calloc(1, len);
    libusb_fill_bulk_transfer(t, h, ep, buf, len, cb, &r, 0);
    t->type = type;
    for (int warm = 0; w->count > 0 && warm < 20; warm++) { /* single-thread: discard the first few */
        double us;
        if (cycle(t, &r, &us) < 0) { w->stuck++; return NULL; }
    }
    while (w->count > 0 ? w->tried < w->count : now() < w->until) {
        double us;
        w->tried++;
        int k = cycle(t, &r, &us);
        if (k < 0) { w->stuck++; return NULL; } /* still in flight: the transfer cannot be reused */
        if (k > 0) { w->other++; continue; }
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 1024;
            w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
        }
        w->lat[w->n++] = us;
    }
    libusb_free_transfer(t);
    free(buf);
    return NULL;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, long long n, double q) { /* nearest rank */
    if (n == 0) return 0;
    long long k = (long long) (q * n + 0.999999999);
    if (k < 1) k = 1;
    return v[(k > n ? n : k) - 1];
}

int main(int argc, char **argv) {
    if (argc != 10) {
        fprintf(stderr, "usage: cancelbench NAME BUS ADDR IFACE EP LEN THREADS COUNT|SECONDS DELAY_US\n");
        return 2;
    }
    const char *name = argv[1];
    int bus = atoi(argv[2]), addr = atoi(argv[3]), iface = atoi(argv[4]);
    ep = strtol(argv[5], NULL, 16);
    len = atoi(argv[6]);
    int threads = atoi(argv[7]);
    double amount = atof(argv[8]);
    delay_us = atoi(argv[9]);
    if (libusb_init(&ctx)) return 1;
    libusb_device **list;
    ssize_t nd = libusb_get_device_list(ctx, &list);
    for (ssize_t i = 0; i < nd && !h; i++) {
        if (libusb_get_bus_number(list[i]) == bus && libusb_get_device_address(list[i]) == addr) {
            struct libusb_config_descriptor *cfg;
            if (libusb_get_active_config_descriptor(list[i], &cfg) == 0) {
                type = -1;
                for (int a = 0; a < cfg->bNumInterfaces; a++)
                    for (int s = 0; s < cfg->interface[a].num_altsetting; s++) {
                        const struct libusb_interface_descriptor *d = &cfg->interface[a].altsetting[s];
                        for (int e = 0; e < d->bNumEndpoints; e++)
                            if (d->bInterfaceNumber == iface && d->endpoint[e].bEndpointAddress == ep)
                                type = d->endpoint[e].bmAttributes & 3;
                    }
                libusb_free_config_descriptor(cfg);
                if (type < 0) { fprintf(stderr, "cancelbench: no endpoint %02x on interface %d\n", ep, iface); return 1; }
            }
            if (libusb_open(list[i], &h)) h = NULL;
        }
    }
    libusb_free_device_list(list, 1);
    if (!h) { fprintf(stderr, "cancelbench: cannot open device %d:%d\n", bus, addr); return 1; }
    libusb_set_auto_detach_kernel_driver(h, 1);
    int rc = libusb_claim_interface(h, iface);
    if (rc) { fprintf(stderr, "cancelbench: claim %d: %s\n", iface, libusb_error_name(rc)); return 1; }
    pthread_t ev;
    pthread_create(&ev, NULL, events, NULL);

    struct worker *w = calloc(threads, sizeof *w);
    double t0 = now(), until = t0 + amount;
    for (int i = 0; i < threads; i++) {
        if (threads == 1) w[i].count = (long long) amount;
        else w[i].until = until;
        pthread_create(&w[i].thread, NULL, work, &w[i]);
    }
    long long n = 0, tried = 0, other = 0, stuck = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].thread, NULL);
        n += w[i].n; tried += w[i].tried; other += w[i].other; stuck += w[i].stuck;
    }
    double secs = now() - t0;
    double *all = malloc((n ? n : 1) * sizeof *all);
    for (int i = 0, k = 0; i < threads; i++) { memcpy(all + k, w[i].lat, w[i].n * sizeof *all); k += w[i].n; }
    qsort(all, n, sizeof *all, cmp);
    printf("CANCEL c %s %d n=%lld cancelled=%lld other=%lld stuck=%lld secs=%.3f cps=%.1f median_us=%.0f p90_us=%.0f "
           "p99_us=%.0f max_us=%.0f\n", name, threads, tried, n, other, stuck, secs, tried / secs, pct(all, n, 0.5),
           pct(all, n, 0.9), pct(all, n, 0.99), n ? all[n - 1] : 0);
    fflush(stdout);
    if (stuck) return 3; /* a transfer is still in flight: do not try to release */
    stop_events = 1;
    pthread_join(ev, NULL);
    libusb_release_interface(h, iface);
    libusb_close(h);
    libusb_exit(ctx);
    return 0;
}
