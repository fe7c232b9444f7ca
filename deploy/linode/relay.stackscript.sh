#!/bin/bash
# Linode StackScript: a Pharos relay (deploy/relay/README.md), Debian 12 or later, Ubuntu 22.04 or
# later. Does what deploy/cloud-init/relay.yaml does: HAProxy with the relay configuration, and a
# firewall rule that admits only the actuating Pharos instance to HAProxy's runtime API. Attach
# the Linode to the region's private network; its private address goes into "listen" and
# "runtime_api". Linode passes each field as an environment variable.
#
# <UDF name="region" label="The region this relay belongs to (as in pharos.regions)" example="europe" />
# <UDF name="listen" label="Address:port the region's NodeBalancer sends traffic to (this Linode's private address)" example="192.168.128.10:80" />
# <UDF name="runtime_api" label="HAProxy runtime API, on the private address only" example="ipv4@192.168.128.10:9999" />
# <UDF name="pharos_address" label="The one address allowed to use the runtime API: the actuating Pharos instance (private network or tunnel)" example="192.168.128.5" />
#
# Checking it without a Linode: PHAROS_STACKSCRIPT_ROOT=/some/dir writes every file below that
# directory and skips installing and starting (deploy/check does this and compares the files with
# the rendered cloud-init).
set -euo pipefail

REGION="${REGION:-${region:-}}"
LISTEN="${LISTEN:-${listen:-}}"
RUNTIME_API="${RUNTIME_API:-${runtime_api:-}}"
PHAROS_ADDRESS="${PHAROS_ADDRESS:-${pharos_address:-}}"
root="${PHAROS_STACKSCRIPT_ROOT:-}"

die() { echo "stackscript: $*" >&2; exit 2; }
[[ "$REGION" =~ ^[a-z0-9-]+$ ]] || die "region must be [a-z0-9-]"
[[ "$LISTEN" =~ ^[^[:space:]]+:[0-9]+$ ]] || die "listen must be address:port"
[[ "$RUNTIME_API" =~ ^ipv4@[0-9.]+:([0-9]+)$ ]] ||
    die "runtime_api must be ipv4@<private address>:<port> (a Unix socket needs no firewall; see deploy/relay/README.md)"
runtime_port="${BASH_REMATCH[1]}"
[[ "$PHAROS_ADDRESS" =~ ^[0-9.]+$ ]] || die "pharos_address must be an IPv4 address"

if [ -z "$root" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q haproxy nftables
fi
install -d -m 0755 "$root/etc/haproxy" "$root/etc/nftables.d"

# deploy/relay/haproxy.cfg.tmpl, verbatim (a test keeps the two equal), then filled in like
# deploy/relay/render does, except in comment lines (as deploy/cloud-init/render does).
cat >"$root/etc/haproxy/haproxy.cfg.tmpl" <<'TEMPLATE'
# HAProxy configuration of a Pharos relay host (deploy/relay/README.md says why and how).
#
# The relay is a small host inside a region, on the same private network as the region's load
# balancer, and a node of that load balancer that is normally out of rotation. When every backend
# of the region dies but its load balancer still answers, Pharos points this relay's `forward`
# backend at a healthy region's load balancer and puts the relay node in rotation, so visitors
# whose resolvers still cache this region's address are served by the other region.
#
# Fill in (render with deploy/relay/render or by hand):
#   @REGION@        this region's name, e.g. europe
#   @LISTEN@        address:port the region's load balancer sends traffic to, e.g. 192.168.128.10:80
#   @RUNTIME_API@   where Pharos reaches the runtime API: a private address and port
#                   ("ipv4@192.168.128.10:9999") or a Unix socket reached through an SSH tunnel
#                   ("/run/haproxy/pharos.sock"). Never bind it to a public address: it has admin
#                   level. Protect a TCP socket with a firewall rule that admits only the Pharos
#                   host (or a WireGuard/SSH tunnel).
global
    log stdout format raw local0 info
    # raise with the host's file-descriptor limit (HAProxy needs about 2 per connection)
    maxconn 8000
    stats socket @RUNTIME_API@ level admin
    stats timeout 10s

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 3s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s

frontend relay_in
    bind @LISTEN@
    # Loop guard (defence in depth): Pharos never relays to a region that relays, so a request
    # that already passed a relay means something is misconfigured. Refuse it instead of looping.
    http-request return status 503 content-type text/plain string "refused by the @REGION@ relay: request already relayed" if { req.hdr(X-Pharos-Relay) -m found }
    # Record the hop; the far region can count relayed requests by this header.
    http-request set-header X-Pharos-Relay @REGION@
    # The visitor's address, as the load balancer passed it (or as seen here), for the far region.
    option forwardfor if-none
    # The Host header is passed through unchanged, so the far region serves the same site.
    default_backend forward

backend forward
    # A dynamic algorithm lets the runtime API change the server; `target` starts disabled with a
    # placeholder address on loopback until Pharos sets the real one.
    balance roundrobin
    server target 127.0.0.1:1 disabled
TEMPLATE
sed -e "/^[[:space:]]*#/!s|@REGION@|$REGION|g" -e "/^[[:space:]]*#/!s|@LISTEN@|$LISTEN|g" \
    -e "/^[[:space:]]*#/!s|@RUNTIME_API@|$RUNTIME_API|g" \
    "$root/etc/haproxy/haproxy.cfg.tmpl" >"$root/etc/haproxy/haproxy.cfg"
rm "$root/etc/haproxy/haproxy.cfg.tmpl"
chmod 0644 "$root/etc/haproxy/haproxy.cfg"

cat >"$root/etc/nftables.d/pharos-relay.nft" <<NFT
# Only the actuating Pharos instance may reach the relay's HAProxy runtime API.
table inet pharos_relay {
  chain input {
    type filter hook input priority filter; policy accept;
    tcp dport $runtime_port ip saddr $PHAROS_ADDRESS accept
    tcp dport $runtime_port counter drop
  }
}
NFT
chmod 0644 "$root/etc/nftables.d/pharos-relay.nft"

if [ -z "$root" ]; then
    # Debian's nftables.conf starts with "flush ruleset"; load the relay's table after it.
    grep -q pharos-relay.nft /etc/nftables.conf ||
        echo 'include "/etc/nftables.d/pharos-relay.nft"' >>/etc/nftables.conf
    systemctl enable --now nftables.service
    systemctl restart nftables.service
    haproxy -c -f /etc/haproxy/haproxy.cfg
    systemctl enable haproxy.service
    systemctl restart haproxy.service
fi
echo "stackscript: Pharos relay for $REGION set up"
