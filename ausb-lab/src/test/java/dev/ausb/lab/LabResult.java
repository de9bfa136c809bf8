package dev.ausb.lab;

/**
 * The result of a finished command in the lab.
 *
 * @param exitCode its exit code
 * @param out      what it printed on standard output
 * @param err      what it printed on standard error
 */
public record LabResult(int exitCode, String out, String err) {}
