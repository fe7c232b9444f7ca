package dev.pharos.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The Linode API ({@code pharos.dns.linode}), shared by Domains and NodeBalancers.
 *
 * @param baseUrl an http(s) URL
 * @param token the Domains token (required for the linode DNS provider)
 * @param requestsPerMinute the budget of every Linode call of this instance
 * @param timeout connect and read timeout of one request
 */
public record LinodeApiSettings(
        String baseUrl,
        Optional<Secret> token,
        int requestsPerMinute,
        Duration timeout,
        int pageSize) {}
