package dev.ausb.outside;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** UsbTransferFuture cannot be implemented outside ausb's own packages. */
class SubclassTest {
    @Test
    void onlyAusbImplementsUsbTransferFuture() {
        assertThrows(UnsupportedOperationException.class, () -> new UsbTransferFuture<Integer>() {
            @Override
            public CompletableFuture<UsbTransferResult> reaped() {
                return null;
            }

            @Override
            protected void cancelTransfer() {}

            @Override
            protected void checkMayBlock() {}
        });
    }

}
