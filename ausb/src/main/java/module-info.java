/**
 * ausb: asynchronous USB for Java, on libusb-1.0 through the Foreign Function &amp; Memory API.
 *
 * <p>The core API is the package {@link dev.ausb}; start at {@link dev.ausb.UsbContext}. Firmware
 * images for Cypress FX2 and FX3 are in {@link dev.ausb.firmware}, built on the core API alone.
 * Hub port control is in {@link dev.ausb.hub}.
 * The module calls restricted FFM methods, so run it with {@code --enable-native-access=dev.ausb}
 * (or {@code ALL-UNNAMED} on the class path).
 */
module dev.ausb {
    exports dev.ausb;
    exports dev.ausb.firmware;
    exports dev.ausb.hub;
}
