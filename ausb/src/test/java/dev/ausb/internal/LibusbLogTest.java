package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which of libusb's messages ausb logs at DEBUG because they are expected and harmless. */
class LibusbLogTest {
    @Test
    void cancelsThatCrossACompletion_andUdevUnbinds_areBenign() {
        assertTrue(ContextImpl.benign("libusb: warning [libusb_cancel_transfer] async cancel failed -5"));
        assertTrue(ContextImpl.benign("libusb: error [udev_hotplug_event] ignoring udev action unbind"));
        assertTrue(ContextImpl.benign("libusb: error [udev_hotplug_event] ignoring udev action change"));
        assertTrue(ContextImpl.benign("libusb: error [get_usbfs_fd] libusb couldn't open USB device /dev/bus/usb/005/007, errno=2"));
        assertFalse(ContextImpl.benign("libusb: error [get_usbfs_fd] libusb couldn't open USB device /dev/bus/usb/005/007, errno=13"),
                "permission denied is the user's to see");
        assertTrue(ContextImpl.benign("libusb: error [get_usbfs_fd] File doesn't exist, wait 10 ms and try again"));
        assertFalse(ContextImpl.benign("libusb: error [submit_bulk_transfer] submiturb failed, errno=19"));
        assertFalse(ContextImpl.benign("libusb: warning [libusb_cancel_transfer] async cancel failed -1"));
    }
}
