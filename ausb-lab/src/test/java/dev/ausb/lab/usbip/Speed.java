package dev.ausb.lab.usbip;

/**
 * The speed a virtual device attaches at: the kernel's {@code enum usb_device_speed} value that
 * vhci_hcd's {@code attach} file takes, and which of vhci's two root hubs carries it ("hs" for
 * low, full and high speed, "ss" for SuperSpeed).
 */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public enum Speed {
    LOW(1), FULL(2), HIGH(3), SUPER(5);

    /** The kernel's usb_device_speed number. */
    public final int kernelValue;

    Speed(int kernelValue) {
        this.kernelValue = kernelValue;
    }

    /** The hub column of vhci's status file whose ports take this speed. */
    String hub() {
        return this == SUPER ? "ss" : "hs";
    }
}
