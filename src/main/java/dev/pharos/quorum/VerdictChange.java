package dev.pharos.quorum;

/** A verdict changed: the evidence is in {@code to}. */
public record VerdictChange(Verdict from, Verdict to) {}
