package dev.pharos.probe;

/** Where content checks go (a port: the observation stage implements it). */
public interface ContentSink {
    void accept(ContentCheck check);
}
