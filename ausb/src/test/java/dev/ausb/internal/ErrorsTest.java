package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbAccessDeniedException;
import dev.ausb.UsbBusyException;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbException;
import dev.ausb.UsbIoException;
import dev.ausb.UsbNotFoundException;
import dev.ausb.UsbNotSupportedException;
import dev.ausb.UsbOverflowException;
import dev.ausb.UsbStallException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.UsbTransferException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    @Test
    void everyLibusbErrorCode_mapsToItsType() {
        assertInstanceOf(UsbIoException.class, Errors.of(-1, "x", null));
        assertInstanceOf(UsbIoException.class, Errors.of(-2, "x", null));
        assertInstanceOf(UsbAccessDeniedException.class, Errors.of(-3, "x", null));
        assertInstanceOf(UsbDeviceGoneException.class, Errors.of(-4, "x", null));
        assertInstanceOf(UsbNotFoundException.class, Errors.of(-5, "x", null));
        assertInstanceOf(UsbBusyException.class, Errors.of(-6, "x", null));
        assertInstanceOf(UsbTimeoutException.class, Errors.of(-7, "x", null));
        assertInstanceOf(UsbOverflowException.class, Errors.of(-8, "x", null));
        assertInstanceOf(UsbStallException.class, Errors.of(-9, "x", null));
        assertInstanceOf(UsbIoException.class, Errors.of(-10, "x", null));
        assertInstanceOf(UsbIoException.class, Errors.of(-11, "x", null));
        assertInstanceOf(UsbNotSupportedException.class, Errors.of(-12, "x", null));
        assertInstanceOf(UsbIoException.class, Errors.of(-99, "x", null));
    }

    @Test
    void transferStatuses_mapToTypesAndKeepPartialCounts() {
        UsbException t = Errors.ofStatus(Errors.TRANSFER_TIMED_OUT, 100, "bulk IN 0x81");
        assertInstanceOf(UsbTimeoutException.class, t);
        assertEquals(100, t.bytesTransferred());
        assertEquals("LIBUSB_TRANSFER_TIMED_OUT", t.errorName());
        assertInstanceOf(UsbStallException.class, Errors.ofStatus(Errors.TRANSFER_STALL, 0, "x"));
        assertInstanceOf(UsbDeviceGoneException.class, Errors.ofStatus(Errors.TRANSFER_NO_DEVICE, 0, "x"));
        assertInstanceOf(UsbOverflowException.class, Errors.ofStatus(Errors.TRANSFER_OVERFLOW, 64, "x"));
        assertInstanceOf(UsbTransferException.class, Errors.ofStatus(Errors.TRANSFER_ERROR, 3, "x"));
    }

    @Test
    void message_namesOperationErrorAndHint() {
        UsbException e = Errors.of(-3, "open 1a0a:badd (bus 3, device 2)", Errors.accessHint(0x1a0a, 0xbadd));
        assertEquals(-3, e.errorCode());
        assertEquals("LIBUSB_ERROR_ACCESS", e.errorName());
        assertTrue(e.getMessage().startsWith("open 1a0a:badd (bus 3, device 2): access denied"), e.getMessage());
        assertTrue(e.getMessage().contains("ATTR{idVendor}==\"1a0a\""), e.getMessage());
    }
}
