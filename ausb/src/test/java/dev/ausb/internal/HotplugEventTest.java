package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ausb.UsbHotplugEvent;
import dev.ausb.UsbHotplugEvent.Kind;
import org.junit.jupiter.api.Test;

class HotplugEventTest {
    @Test
    void anEventCarriesItsDevice_orAFailureItsError() {
        assertThrows(IllegalArgumentException.class, () -> new UsbHotplugEvent(Kind.ARRIVED, null, null));
        assertThrows(IllegalArgumentException.class, () -> new UsbHotplugEvent(Kind.LEFT, null, null));
        assertThrows(IllegalArgumentException.class, () -> new UsbHotplugEvent(Kind.FAILED, null, null));
        assertThrows(NullPointerException.class, () -> new UsbHotplugEvent(null, null, new RuntimeException()));
        UsbHotplugEvent failed = new UsbHotplugEvent(Kind.FAILED, null, new IllegalStateException("x"));
        assertEquals("UsbHotplugEvent[FAILED: java.lang.IllegalStateException: x]", failed.toString());
    }
}
