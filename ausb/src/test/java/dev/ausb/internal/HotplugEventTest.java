package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ausb.UsbHotplugEvent;
import dev.ausb.UsbHotplugEvent.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HotplugEventTest {
    @Test
    void anEventCarriesItsDevice_orAFailureItsError() {
        Optional<Throwable> none = Optional.empty();
        assertThrows(IllegalArgumentException.class, () -> new UsbHotplugEvent(Kind.ARRIVED, Optional.empty(), none));
        assertThrows(IllegalArgumentException.class, () -> new UsbHotplugEvent(Kind.LEFT, Optional.empty(), none));
        assertThrows(IllegalArgumentException.class, () -> new UsbHotplugEvent(Kind.FAILED, Optional.empty(), none));
        assertThrows(IllegalArgumentException.class, () -> UsbHotplugEvent.of(Kind.FAILED, null));
        assertThrows(NullPointerException.class, () -> new UsbHotplugEvent(Kind.ARRIVED, null, none));
        assertThrows(NullPointerException.class, () -> new UsbHotplugEvent(Kind.FAILED, Optional.empty(), null));
        assertThrows(NullPointerException.class,
                () -> new UsbHotplugEvent(null, Optional.empty(), Optional.of(new RuntimeException())));
        UsbHotplugEvent failed = UsbHotplugEvent.failed(new IllegalStateException("x"), Optional.empty());
        assertEquals(Kind.FAILED, failed.kind());
        assertEquals(Optional.empty(), failed.device());
        assertEquals("UsbHotplugEvent[FAILED: java.lang.IllegalStateException: x]", failed.toString());
    }
}
