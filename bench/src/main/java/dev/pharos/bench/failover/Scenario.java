package dev.pharos.bench.failover;

/** The fault scenarios, and how a trial of each is judged. */
enum Scenario {
    LB_REFUSED(
            "lb-refused",
            "a region's load balancer dies (process killed: connections refused), then comes back",
            Kind.REGION_DEAD),
    LB_HANG(
            "lb-hang",
            "a region's load balancer hangs (SIGSTOP: handshakes complete, nothing answers), then"
                    + " resumes (SIGCONT)",
            Kind.REGION_DEAD),
    BACKENDS_DEAD(
            "backends-dead",
            "both backends of a region die while its load balancer lives (it answers 503)",
            Kind.REGION_DEAD),
    BACKEND_FLAP(
            "backend-flap",
            "one backend of a region answers 503 for 1 s, then 200 for 3 s, repeated (faster than"
                    + " fall): nothing should change",
            Kind.STEADY),
    PACKET_LOSS(
            "packet-loss",
            "30% of the packets from one vantage point to one region's load balancer are dropped:"
                    + " nothing should change",
            Kind.STEADY),
    CPU_STARVED(
            "cpu-starved",
            "the first vantage point of each Pharos set shares one core with stress-ng (both pinned"
                    + " with taskset): nothing should change",
            Kind.STEADY),
    ALL_DEAD("all-dead", "every region's load balancer dies, then all come back", Kind.ALL_DEAD),
    RESTART(
            "restart",
            "a region's load balancer dies; once every system has dropped it, one server of each"
                    + " system is killed (kill -9) and started again while the region is still"
                    + " dead: its answers must not flap",
            Kind.RESTART);

    enum Kind {
        REGION_DEAD,
        STEADY,
        ALL_DEAD,
        RESTART
    }

    final String id;
    final String description;
    final Kind kind;

    static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario " + id);
    }

    Scenario(String id, String description, Kind kind) {
        this.id = id;
        this.description = description;
        this.kind = kind;
    }
}
