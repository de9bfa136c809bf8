package dev.ausb;

import java.util.Objects;
import java.util.Optional;

/**
 * A device arrived or left, as a context's hotplug subscription reports it
 * ({@link UsbContext#watch}, {@link UsbContext#hotplugEvents}).
 *
 * <p>A {@link Kind#FAILED} event says that something went wrong while watching (a device that
 * arrived but whose descriptors could not be read, say); it carries the {@link #error()} and, where
 * known, no device. Watching goes on after it. Immutable value.
 *
 * <p>{@snippet :
 * switch (event.kind()) {
 *     case ARRIVED -> System.out.println("arrived: " + event.device().orElseThrow());
 *     case LEFT -> System.out.println("left: " + event.device().orElseThrow());
 *     case FAILED -> System.err.println("watching failed: " + event.error().orElseThrow());
 * }
 * }
 *
 * @param kind   what happened
 * @param device the device: present for {@link Kind#ARRIVED} and {@link Kind#LEFT}; for
 *               {@link Kind#FAILED}, present only when the failure concerns a known device
 * @param error  what failed: present for {@link Kind#FAILED} only
 */
public record UsbHotplugEvent(Kind kind, Optional<UsbDevice> device, Optional<Throwable> error) {
    /** What happened. */
    public enum Kind {
        /** The device is attached: it was plugged in, or it was there when the subscription began and it asked to hear of such. */
        ARRIVED,
        /** The device left: unplugged, reset into another identity, or its port powered off. */
        LEFT,
        /** Watching hit an error; {@link #error()} says which. */
        FAILED
    }

    /**
     * Checks that an ARRIVED or LEFT event has its device and no error, and a FAILED one its error (and a device only if the failure concerns one).
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if an event lacks what its kind carries, or an ARRIVED or LEFT
     *                                  event has an error
     */
    public UsbHotplugEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(error, "error");
        if (kind != Kind.FAILED && error.isPresent()) {
            throw new IllegalArgumentException("an " + kind + " event carries no error");
        }
        if (kind == Kind.FAILED ? error.isEmpty() : device.isEmpty()) {
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
        if (kind == Kind.FAILED) {
            throw new IllegalArgumentException("a FAILED event carries its error: use failed(...)");
        }
        return new UsbHotplugEvent(kind, Optional.of(device), Optional.empty());
    }

    /**
     * A FAILED event.
     *
     * @param error  what went wrong while watching
     * @param device the device it concerns, if known
     * @return the event
     */
    public static UsbHotplugEvent failed(Throwable error, Optional<UsbDevice> device) {
        return new UsbHotplugEvent(Kind.FAILED, device, Optional.of(error));
    }

    @Override
    public String toString() {
        return kind == Kind.FAILED ? "UsbHotplugEvent[FAILED: " + error.orElseThrow() + "]"
                : "UsbHotplugEvent[" + kind + " " + device.orElseThrow() + "]";
    }
}
