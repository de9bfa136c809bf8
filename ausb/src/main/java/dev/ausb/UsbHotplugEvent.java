package dev.ausb;

import java.util.Objects;

/**
 * A device arrived or left, as a context's hotplug subscription reports it
 * ({@link UsbContext#watch}, {@link UsbContext#hotplugEvents}).
 *
 * <p>A {@link Kind#FAILED} event says that something went wrong while watching (a device that
 * arrived but whose descriptors could not be read, say); it carries the {@link #error()} and, where
 * known, no device. Watching goes on after it. Immutable value.
 *
 * @param kind   what happened
 * @param device the device; {@code null} only for {@link Kind#FAILED}
 * @param error  what failed, for {@link Kind#FAILED}; else {@code null}
 */
public record UsbHotplugEvent(Kind kind, UsbDevice device, Throwable error) {
    /** What happened. */
    public enum Kind {
        /** The device is attached: it was plugged in, or it was there when the subscription began and it asked to hear of such. */
        ARRIVED,
        /** The device left: unplugged, reset into another identity, or its port powered off. */
        LEFT,
        /** Watching hit an error; {@link #error()} says which. */
        FAILED
    }

    /** Checks that an event has a device, or a failure its error. */
    public UsbHotplugEvent {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.FAILED ? error == null : device == null) {
            throw new IllegalArgumentException(kind == Kind.FAILED ? "a FAILED event carries its error"
                    : "an " + kind + " event carries its device");
        }
    }

    /**
     * An ARRIVED or LEFT event.
     *
     * @param kind   {@link Kind#ARRIVED} or {@link Kind#LEFT}
     * @param device the device that arrived or left
     * @return the event, without an error
     * @throws IllegalArgumentException if {@code kind} is {@link Kind#FAILED}, which needs an error
     */
    public static UsbHotplugEvent of(Kind kind, UsbDevice device) {
        return new UsbHotplugEvent(kind, device, null);
    }

    @Override
    public String toString() {
        return kind == Kind.FAILED ? "UsbHotplugEvent[FAILED: " + error + "]" : "UsbHotplugEvent[" + kind + " " + device + "]";
    }
}
