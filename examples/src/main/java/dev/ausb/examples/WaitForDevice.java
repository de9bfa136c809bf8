package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.UsbHotplugSubscription;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a device to be plugged in (or finds it at once if it is there), then watches it come
 * and go: one line per hotplug event, {@code ARRIVED} or {@code LEFT} with the device, for a number
 * of seconds or until a number of events.
 *
 * <p>Usage: {@code WaitForDevice VID:PID SECONDS [EVENTS]}, for example
 * {@code WaitForDevice 1a0a:badd 30 4}: wait up to 30 s for the device, then print its events
 * for 30 s, or until 4 of them came.
 */
public final class WaitForDevice {
    private static final String USAGE = "usage: WaitForDevice VID:PID SECONDS [EVENTS]   (e.g. 1a0a:badd 30 4)";

    private WaitForDevice() {}

    /**
     * Runs the program and exits with its status when that is not 0.
     *
     * @param args VID:PID, the seconds to wait and then to watch, and optionally the events to watch for
     */
    public static void main(String[] args) {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the program.
     *
     * @param args VID:PID, the seconds to wait and then to watch, and optionally the events to watch for
     * @return the exit status: 0 when the device came, 1 when it did not within the time, 2 for
     *     bad arguments
     */
    public static int run(String... args) {
        UsbDeviceFilter filter;
        int seconds;
        int events;
        try {
            Args.count(args, 2, 3);
            filter = Args.vidPid("the device", args[0]);
            seconds = Args.positive("SECONDS", args[1], 24 * 3600);
            events = args.length == 3 ? Args.positive("EVENTS", args[2], 1_000_000) : Integer.MAX_VALUE;
        } catch (IllegalArgumentException e) {
            return Args.usage(USAGE, e.getMessage());
        }
        try (UsbContext usb = UsbContext.create()) {
            // @start region="await-device"
            UsbDevice device;
            try {
                // completes at once if a matching device is attached, else when one arrives
                device = usb.awaitDevice(filter, Duration.ofSeconds(seconds)).await();
            } catch (UsbTimeoutException e) { // await() throws the failure itself
                System.err.println("WaitForDevice: no device matching " + filter + " within " + seconds + " s");
                return 1;
            }
            System.out.println("found " + device);
            // @end
            watch(usb, filter, seconds, events);
            return 0;
        } catch (UsbException e) {
            System.err.println("WaitForDevice: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("WaitForDevice: interrupted");
            return 1;
        }
    }

    private static void watch(UsbContext usb, UsbDeviceFilter filter, int seconds, int events)
            throws InterruptedException {
        // @start region="watch"
        CountDownLatch enough = new CountDownLatch(events);
        // false: only what happens from now on (true would first list the matching devices attached now)
        try (UsbHotplugSubscription _ = usb.watch(filter, false, event -> {
            switch (event.kind()) { // one event at a time, on the subscription's own thread
                case ARRIVED -> System.out.println("ARRIVED " + event.device().orElseThrow());
                case LEFT -> System.out.println("LEFT " + event.device().orElseThrow());
                // something went wrong while watching (an arrival whose descriptors were unreadable):
                // watching goes on
                case FAILED -> System.err.println("FAILED " + event.error().orElseThrow());
            }
            enough.countDown();
        })) {
            System.out.println("watching " + filter + " for " + seconds + " s");
            enough.await(seconds, TimeUnit.SECONDS); // until the count of events, or the time is up
        }
        // @end
        System.out.println("watched " + (events - enough.getCount()) + " events");
    }
}
