package com.example.app;

import dev.ausb.UsbContext;
import dev.ausb.UsbException;

/**
 * A user's first ausb program, as bin/release-check runs it in every way a Java program runs:
 * opening a context loads libusb through a restricted FFM method, which the JVM allows only to
 * code granted native access (under {@code --illegal-native-access=deny} it throws
 * {@link IllegalCallerException} otherwise).
 */
public final class Main {
    private Main() {}

    /**
     * Prints what {@link #probe()} returns.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(probe());
    }

    /**
     * Opens and closes a context.
     *
     * @return a line starting {@code ausb-probe: native access granted}
     * @throws IllegalCallerException if ausb was not granted native access (with the JVM denying it)
     */
    public static String probe() {
        try (UsbContext usb = UsbContext.create()) {
            return "ausb-probe: native access granted; " + usb.devices().size() + " devices, libusb "
                    + usb.libusbVersion();
        } catch (UsbException e) {
            // no usbfs here (a container, CI) or no libusb: the restricted call was made and allowed
            return "ausb-probe: native access granted; " + e.getMessage();
        }
    }
}
