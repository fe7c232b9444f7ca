#!/bin/bash
# Linode StackScript: a Pharos vantage point (Debian 12 or later, Ubuntu 22.04 or later). Does what
# deploy/cloud-init/vantage-point.yaml does: installs Java 17 and Pharos, writes the configuration
# and the tokens, starts the service. Fork it in your account and edit the CDN part of the
# configuration below (regions, records, zone, name servers, glue) once; the fields ask for what
# differs per vantage point. Linode passes each field as an environment variable.
#
# <UDF name="node_name" label="This vantage point's name, unique among the peers ([a-z0-9-])" example="vp-frankfurt" />
# <UDF name="peers" label="The other vantage points, name=url=sha256 (the SHA-256 of that vantage point's own peer token; with peer-mtls, name=https-url alone), comma-separated" example="vp-newark=http://203.0.113.21:8080=<sha256>,vp-singapore=http://203.0.113.31:8080=<sha256>" />
# <UDF name="peer_token" label="This vantage point's own peer token (PHAROS_API_PEER_TOKEN), different on every vantage point" />
# <UDF name="admin_token" label="Admin token (PHAROS_API_ADMIN_TOKEN) for drains and confirmations" />
# <UDF name="etcd_members" label="none, or an etcd member here: every member as name=address (the vantage points' names and public IPv4 addresses, this one included), comma-separated; then the writer is elected on etcd and actuate is ignored" default="none" example="vp-frankfurt=203.0.113.11,vp-newark=203.0.113.21,vp-singapore=203.0.113.31" />
# <UDF name="actuate" label="Change external DNS providers and load balancers from this vantage point (exactly one)" oneOf="false,true" default="false" />
# <UDF name="release_url" label="URL of the Pharos release tarball (a build's target/quarkus-app, tar.gz)" example="https://downloads.example.com/pharos-0.1.0.tar.gz" />
# <UDF name="release_sha256" label="SHA-256 of that tarball" />
# <UDF name="public_ipv4" label="Public IPv4 address the API and DNS listen on (empty: this Linode's first public one)" default="" />
#
# The API (port 8080) listens on the public address: let a Cloud Firewall admit only the other
# vantage points (and people who use the API) to it. Health and metrics are on their own port,
# 9000 (the management interface, so a busy API never fails liveness): admit only your
# monitoring. DNS (53, UDP and TCP) is for everyone.
#
# Checking it without a Linode: PHAROS_STACKSCRIPT_ROOT=/some/dir writes every file below that
# directory and skips installing, downloading and starting (deploy/check does this and compares
# the files with the rendered cloud-init).
set -euo pipefail

# Linode exports each field under its name; accept the upper-case form too.
NODE_NAME="${NODE_NAME:-${node_name:-}}"
PEERS="${PEERS:-${peers:-}}"
PEER_TOKEN="${PEER_TOKEN:-${peer_token:-}}"
ADMIN_TOKEN="${ADMIN_TOKEN:-${admin_token:-}}"
ACTUATE="${ACTUATE:-${actuate:-false}}"
ETCD_MEMBERS="${ETCD_MEMBERS:-${etcd_members:-none}}"
RELEASE_URL="${RELEASE_URL:-${release_url:-}}"
RELEASE_SHA256="${RELEASE_SHA256:-${release_sha256:-}}"
PUBLIC_IPV4="${PUBLIC_IPV4:-${public_ipv4:-}}"
root="${PHAROS_STACKSCRIPT_ROOT:-}"

die() { echo "stackscript: $*" >&2; exit 2; }
[[ "$NODE_NAME" =~ ^[a-z0-9-]+$ ]] || die "node_name must be [a-z0-9-]"
[ -n "$PEER_TOKEN" ] || die "peer_token is required"
[ -n "$ADMIN_TOKEN" ] || die "admin_token is required"
[[ "$ACTUATE" =~ ^(true|false)$ ]] || die "actuate must be true or false"
[ -n "$RELEASE_URL" ] || die "release_url is required"
[[ "$RELEASE_SHA256" =~ ^[0-9a-f]{64}$ ]] || die "release_sha256 must be 64 hex digits"
if [ -z "$PUBLIC_IPV4" ]; then
    # the first global IPv4 address that is not private (Linodes also carry 192.168.x.x)
    PUBLIC_IPV4=$(ip -4 -o addr show scope global | awk '{split($4, a, "/"); print a[1]}' |
        grep -Ev '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)' | head -n 1)
    [ -n "$PUBLIC_IPV4" ] || die "no public IPv4 address found; set public_ipv4"
fi

# name=url=sha256,... -> [{name: a, url: "...", token-sha256: ...}, ...]; with mutual TLS as the
# peers' identity (pharos.api.peer-mtls, below) a peer may be name=https://... without a digest.
peers_yaml=""
IFS=',' read -r -a peer_list <<<"$PEERS"
for p in "${peer_list[@]}"; do
    [[ "$p" =~ ^([a-z0-9-]+)=(https?://[^\"[:space:]=]+)(=([0-9a-f]{64}))?$ ]] ||
        die "peers: '$p' is not name=http(s)://...=<sha256 of that peer's token> (or name=https://... with peer-mtls)"
    peers_yaml+="${peers_yaml:+, }{name: ${BASH_REMATCH[1]}, url: \"${BASH_REMATCH[2]}\"${BASH_REMATCH[4]:+, token-sha256: ${BASH_REMATCH[4]}}}"
done
peers_yaml="[$peers_yaml]"

if [ -z "$root" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q openjdk-17-jre-headless ca-certificates curl jq
fi

install -d -m 0755 "$root/etc/pharos" "$root/etc/systemd/system" "$root/opt/pharos"

cat >"$root/etc/pharos/pharos.yaml" <<YAML
quarkus:
  http:
    host: $PUBLIC_IPV4
    port: 8080
    # Optional mutual TLS between the vantage points (with pharos.api.peer-mtls below):
    #ssl-port: 8443
    #tls-configuration-name: peer
  #tls:
  #  peer:
  #    key-store:
  #      pem:
  #        a: {cert: /etc/pharos/peer.pem, key: "\${CREDENTIALS_DIRECTORY}/peer-key.pem"}
  #    trust-store:
  #      pem: {certs: /etc/pharos/peer-ca.pem}
  management:
    host: $PUBLIC_IPV4
    port: 9000
pharos:
  node:
    name: $NODE_NAME
    data-dir: /var/lib/pharos
    actuate: $ACTUATE
  peers: $peers_yaml
  # Optional: mutual TLS as the peers' identity instead of their tokens (docs/QUORUM.md,
  # "Identity"; issuing the certificates: docs/OPERATIONS.md, "Peer certificates (mutual TLS)").
  # Each vantage point's certificate names it (CN or DNS SAN = its node.name) and the host of its
  # URL; install its certificate as /etc/pharos/peer.pem and the peers' CA as peer-ca.pem, hand
  # its key to the service with the unit's LoadCredential=peer-key.pem:/etc/pharos/peer-key.pem,
  # uncomment the keys here and under quarkus above, and list the peers with https URLs on their
  # ssl-port and without token-sha256. A peer token still works beside the certificates (while
  # moving from tokens to certificates); once every vantage point presents its certificate,
  # PHAROS_API_PEER_TOKEN and the digests can go.
  #api:
  #  peer-mtls: true
  #quorum:
  #  tls-configuration-name: peer
  regions:
    europe:
      load-balancer: {ipv4: 198.51.100.10}
      fallback: [americas, apac]
    americas:
      load-balancer: {ipv4: 198.51.100.20}
      fallback: [europe, apac]
    apac:
      load-balancer: {ipv4: 198.51.100.30}
      fallback: [americas, europe]
  records:
    - {name: cdn.example.com, type: round-robin, ttl: 60}
    - {name: europe.cdn.example.com, type: alias, region: europe, ttl: 60}
    - {name: americas.cdn.example.com, type: alias, region: americas, ttl: 60}
    - {name: apac.cdn.example.com, type: alias, region: apac, ttl: 60}
  dns:
    provider: embedded
    zone: cdn.example.com
    embedded:
      listen: [$PUBLIC_IPV4]
      port: 53
      nameservers: [ns1.cdn.example.com, ns2.cdn.example.com, ns3.cdn.example.com]
      glue:
        ns1.cdn.example.com: [203.0.113.11]
        ns2.cdn.example.com: [203.0.113.21]
        ns3.cdn.example.com: [203.0.113.31]
      rate-limit: 50
YAML
chmod 0644 "$root/etc/pharos/pharos.yaml"

# Secrets: read by systemd only (EnvironmentFile=), never by the service user.
(
    umask 077
    printf 'PHAROS_API_PEER_TOKEN=%s\nPHAROS_API_ADMIN_TOKEN=%s\n' "$PEER_TOKEN" "$ADMIN_TOKEN" \
        >"$root/etc/pharos/pharos.env"
)
chmod 0600 "$root/etc/pharos/pharos.env"

# deploy/systemd/pharos.service, verbatim (a test keeps the two equal).
cat >"$root/etc/systemd/system/pharos.service" <<'UNIT'
# Pharos vantage point as a systemd service (deploy/systemd/README.md).
#
#   /opt/pharos/           the build: target/quarkus-app (quarkus-run.jar, lib/, app/, quarkus/)
#   /etc/pharos/pharos.yaml  the configuration (no secrets; readable by the service)
#   /etc/pharos/pharos.env   the tokens, mode 0600 root:root (read by systemd, not by the service)
#   /var/lib/pharos/       node.data-dir: journal.jsonl, state.json, dns-serial
#
# Java comes from Debian's openjdk-17-jre-headless (/usr/bin/java). The JVM settings (a small
# heap, serial GC) are JAVA_TOOL_OPTIONS below; JAVA_TOOL_OPTIONS in pharos.env replaces them.
[Unit]
Description=Pharos health monitor and DNS failover (vantage point)
Wants=network-online.target
After=network-online.target

[Service]
Type=exec
DynamicUser=yes
StateDirectory=pharos
StateDirectoryMode=0750
ConfigurationDirectory=pharos
RuntimeDirectory=pharos
WorkingDirectory=/var/lib/pharos
EnvironmentFile=/etc/pharos/pharos.env
Environment=PHAROS_NODE_DATA_DIR=/var/lib/pharos
# The JVM settings of a small VM (bench/results/memory.md); pharos.env may replace them.
Environment="JAVA_TOOL_OPTIONS=-Xmx64m -Xss512k -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
ExecStart=/usr/bin/java -XX:+ExitOnOutOfMemoryError -Dquarkus.config.locations=/etc/pharos/pharos.yaml -jar /opt/pharos/quarkus-run.jar
# Files the service needs but must not read from /etc itself (a TLS key for the peer exchange):
# systemd hands them over read-only in $CREDENTIALS_DIRECTORY (/run/credentials/pharos.service);
# refer to them as ${CREDENTIALS_DIRECTORY}/peer-key.pem in pharos.yaml.
#LoadCredential=peer-key.pem:/etc/pharos/vp1-key.pem
Restart=on-failure
RestartSec=2s
# An invalid configuration exits with status 2: restarting cannot fix it.
RestartPreventExitStatus=2
# The JVM answers SIGTERM with an orderly shutdown; status 143 is that, not a failure.
SuccessExitStatus=143
TimeoutStopSec=20s
LimitNOFILE=65536

# Serve DNS on port 53 without running as root.
AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_BIND_SERVICE

NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RemoveIPC=yes
UMask=0027
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged
# Not MemoryDenyWriteExecute: the JVM's JIT compiler needs writable, executable memory. Not
# ProcSubset=pid: the JVM and the metrics read /proc/meminfo, /proc/stat and /proc/sys.

[Install]
WantedBy=multi-user.target
UNIT
chmod 0644 "$root/etc/systemd/system/pharos.service"

# deploy/etcd/etcd-member, verbatim (a test keeps the two equal): an optional etcd member.
install -d -m 0755 "$root/usr/local/sbin"
cat >"$root/usr/local/sbin/pharos-etcd-member" <<'ETCDMEMBER'
#!/bin/bash
# An optional etcd member on a vantage-point VM, for pharos.coordination.provider: etcd (the writer
# to external DNS providers and relays elected on an etcd lease; docs/OPERATIONS.md, "Running etcd
# on the vantage points"). The cloud-init user data and the StackScript install it as
# /usr/local/sbin/pharos-etcd-member and run it before they start Pharos:
#
#   pharos-etcd-member NODE_NAME MEMBERS [ROOT]
#
#   MEMBERS  none: no etcd member, node.actuate chooses the writer (nothing is done);
#            or every member, this one included, as name=address pairs, comma-separated, the
#            names those of the vantage points: vp-frankfurt=203.0.113.11,vp-newark=203.0.113.21,...
#            (three or five members)
#   ROOT     writes the files below this directory and installs, enables and starts nothing
#            (deploy/check)
#
# Writes /etc/default/etcd (read by Debian's etcd.service): this member listens on its own
# address only (no loopback), peers on 2380 and clients on 2379, with a heartbeat of 250 ms and an
# election timeout of 2500 ms, sized for round trips between continents (up to about 250 ms); and
# adds to /etc/pharos/pharos.env the settings that make Pharos elect its writer on these members.
# Let your firewall admit ports 2379 and 2380 from the other vantage points only.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then sed -n '7,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; fi
node="$1" members="$2" root="${3:-}"
die() { echo "pharos-etcd-member: $*" >&2; exit 2; }
[ "$members" = none ] && exit 0

initial="" endpoints="" own=""
IFS=',' read -r -a list <<<"$members"
for m in "${list[@]}"; do
    [[ "$m" =~ ^([a-z0-9-]+)=([0-9]{1,3}(\.[0-9]{1,3}){3})$ ]] ||
        die "members: '$m' is not name=IPv4 address"
    initial+="${initial:+,}${BASH_REMATCH[1]}=http://${BASH_REMATCH[2]}:2380"
    endpoints+="${endpoints:+,}http://${BASH_REMATCH[2]}:2379"
    [ "${BASH_REMATCH[1]}" = "$node" ] && own="${BASH_REMATCH[2]}"
done
[ -n "$own" ] || die "members: this vantage point ($node) is not one of them"
[ "${#list[@]}" -ge 3 ] || die "members: three or more (a majority must survive one loss)"

if [ -z "$root" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q etcd-server
    # the package starts a single-node member on loopback: stop it and drop its data
    systemctl stop etcd.service
    rm -rf /var/lib/etcd/default
fi
install -d -m 0755 "$root/etc/default" "$root/etc/pharos"
cat >"$root/etc/default/etcd" <<ETCD
# Written by pharos-etcd-member: one member of the vantage points' etcd cluster.
ETCD_NAME=$node
ETCD_DATA_DIR=/var/lib/etcd/default
ETCD_LISTEN_PEER_URLS=http://$own:2380
ETCD_INITIAL_ADVERTISE_PEER_URLS=http://$own:2380
ETCD_LISTEN_CLIENT_URLS=http://$own:2379
ETCD_ADVERTISE_CLIENT_URLS=http://$own:2379
ETCD_INITIAL_CLUSTER=$initial
ETCD_INITIAL_CLUSTER_STATE=new
ETCD_INITIAL_CLUSTER_TOKEN=pharos
# Round trips between continents: heartbeat about the largest round trip, election ten times it.
ETCD_HEARTBEAT_INTERVAL=250
ETCD_ELECTION_TIMEOUT=2500
ETCD
chmod 0644 "$root/etc/default/etcd"
printf 'PHAROS_COORDINATION_PROVIDER=etcd\nPHAROS_COORDINATION_ETCD_ENDPOINTS=%s\n' "$endpoints" \
    >>"$root/etc/pharos/pharos.env"

if [ -z "$root" ]; then
    systemctl enable etcd.service
    # the first member waits for the others to form the cluster; do not hold the boot up
    systemctl start --no-block etcd.service
fi
ETCDMEMBER
chmod 0755 "$root/usr/local/sbin/pharos-etcd-member"
"$root/usr/local/sbin/pharos-etcd-member" "$NODE_NAME" "$ETCD_MEMBERS" ${root:+"$root"}

if [ -z "$root" ]; then
    curl -fsSL --retry 5 -o /root/pharos.tar.gz "$RELEASE_URL"
    echo "$RELEASE_SHA256  /root/pharos.tar.gz" | sha256sum -c -
    tar -C /opt/pharos --strip-components=1 -xzf /root/pharos.tar.gz
    systemctl daemon-reload
    systemctl enable --now pharos.service
fi
echo "stackscript: Pharos vantage point $NODE_NAME set up"
