package dev.pharos.config;

import java.net.URI;

/** Another vantage point. */
public record PeerInfo(String name, URI url) {}
