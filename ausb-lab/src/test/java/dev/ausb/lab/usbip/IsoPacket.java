package dev.ausb.lab.usbip;

/**
 * One isochronous packet descriptor of a URB as USB/IP carries it: where the packet sits in the
 * URB's buffer, its length, and (in a reply) how many bytes were transferred and its status.
 */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public record IsoPacket(int offset, int length, int actualLength, int status) {}
