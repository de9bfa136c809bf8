/**
 * Firmware images for USB microcontrollers that boot from their host: Intel HEX, as Cypress
 * FX2/FX2LP tools write it ({@link dev.ausb.firmware.IntelHex}), and Cypress FX3's boot image
 * ({@link dev.ausb.firmware.Fx3Image}).
 *
 * <p>Parsing is pure Java: a malformed, truncated or corrupt file is refused with a
 * {@link dev.ausb.firmware.FirmwareFormatException} that says where and why, before anything is sent
 * to a device. Files compressed with gzip are read as they are.
 *
 * <p>This package is built on the public {@code dev.ausb} API alone.
 */
package dev.ausb.firmware;
