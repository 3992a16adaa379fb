package dev.chainkit.transport.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node's links behave: frame size, handshake deadline, heartbeats and idle timeout, outbox bounds, reconnect
 * policy and the WebSocket path.
 *
 * <p>Thread safety: immutable; build with {@link #builder()} (or {@link #toBuilder()}).
 */
public final class TransportSettings {

    /** The largest maximum frame size accepted (64 MiB). */
    public static final int MAX_FRAME_LIMIT = 64 << 20;

    private static final TransportSettings DEFAULTS = new Builder().build();

    private final int maxFrameBytes;
    private final long handshakeTimeoutNs;
    private final long heartbeatIntervalNs;
    private final long idleTimeoutNs;
    private final int outboxLowBytes;
    private final int outboxHighBytes;
    private final ReconnectPolicy reconnect;
    private final String webSocketPath;

    private TransportSettings(Builder b) {
        this.maxFrameBytes = b.maxFrameBytes;
        this.handshakeTimeoutNs = b.handshakeTimeoutNs;
        this.heartbeatIntervalNs = b.heartbeatIntervalNs;
        this.idleTimeoutNs = b.idleTimeoutNs;
        this.outboxLowBytes = b.outboxLowBytes;
        this.outboxHighBytes = b.outboxHighBytes;
        this.reconnect = b.reconnect;
        this.webSocketPath = b.webSocketPath;
    }

    /**
     * Max frame 1 MiB, handshake timeout 10 s, heartbeat every 5 s, idle timeout 15 s, outbox 256 KiB / 1 MiB,
     * {@link ReconnectPolicy#defaults()}, WebSocket at {@code /chainkit}.
     */
    public static TransportSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxFrameBytes = maxFrameBytes;
        b.handshakeTimeoutNs = handshakeTimeoutNs;
        b.heartbeatIntervalNs = heartbeatIntervalNs;
        b.idleTimeoutNs = idleTimeoutNs;
        b.outboxLowBytes = outboxLowBytes;
        b.outboxHighBytes = outboxHighBytes;
        b.reconnect = reconnect;
        b.webSocketPath = webSocketPath;
        return b;
    }

    /** The largest frame accepted or sent, in bytes, counted after the 4-byte length prefix. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** How long a connection may take from accept (or connect) to a completed handshake. */
    public Duration handshakeTimeout() {
        return Duration.ofNanos(handshakeTimeoutNs);
    }

    /** {@link #handshakeTimeout()} in nanoseconds. */
    public long handshakeTimeoutNs() {
        return handshakeTimeoutNs;
    }

    /** After this long without writing, a link sends a heartbeat, in nanoseconds. */
    public long heartbeatIntervalNs() {
        return heartbeatIntervalNs;
    }

    /** After this long without reading anything, a link is closed as {@link CloseReason#IDLE_TIMEOUT}, in nanoseconds. */
    public long idleTimeoutNs() {
        return idleTimeoutNs;
    }

    /** Outbox low-water mark in bytes: a full link becomes writable again below it. */
    public int outboxLowBytes() {
        return outboxLowBytes;
    }

    /** Outbox high-water mark in bytes: above it, envelopes to the link are dropped and reading from it pauses. */
    public int outboxHighBytes() {
        return outboxHighBytes;
    }

    /** When dialing nodes try again. */
    public ReconnectPolicy reconnect() {
        return reconnect;
    }

    /** The path of the WebSocket upgrade on the listening port, or null when WebSocket is off. */
    public String webSocketPath() {
        return webSocketPath;
    }

    @Override
    public String toString() {
        return "TransportSettings[maxFrameBytes=" + maxFrameBytes + ", handshakeTimeout=" + handshakeTimeout()
                + ", heartbeat=" + Duration.ofNanos(heartbeatIntervalNs) + ", idleTimeout="
                + Duration.ofNanos(idleTimeoutNs) + ", outbox=" + outboxLowBytes + ".." + outboxHighBytes + ", "
                + reconnect + ", webSocketPath=" + webSocketPath + "]";
    }

    /** Builds {@link TransportSettings}. Not thread-safe. */
    public static final class Builder {
        private int maxFrameBytes = 1 << 20;
        private long handshakeTimeoutNs = 10_000_000_000L;
        private long heartbeatIntervalNs = 5_000_000_000L;
        private long idleTimeoutNs = 15_000_000_000L;
        private int outboxLowBytes = 256 << 10;
        private int outboxHighBytes = 1 << 20;
        private ReconnectPolicy reconnect = ReconnectPolicy.defaults();
        private String webSocketPath = "/chainkit";

        private Builder() {
        }

        /**
         * @param bytes the largest frame, 64 bytes to {@link #MAX_FRAME_LIMIT}
         * @throws IllegalArgumentException if out of range
         */
        public Builder withMaxFrameBytes(int bytes) {
            if (bytes < 64 || bytes > MAX_FRAME_LIMIT) {
                throw new IllegalArgumentException("max frame size must be from 64 bytes to " + MAX_FRAME_LIMIT
                        + ", got " + bytes);
            }
            this.maxFrameBytes = bytes;
            return this;
        }

        /** @throws IllegalArgumentException if {@code timeout} is not positive */
        public Builder withHandshakeTimeout(Duration timeout) {
            this.handshakeTimeoutNs = positive(timeout, "handshake timeout");
            return this;
        }

        /**
         * Heartbeat interval and idle timeout together: a link with nothing to say sends a heartbeat every
         * {@code heartbeat}; a link that hears nothing for {@code idleTimeout} is closed.
         *
         * @throws IllegalArgumentException if either is not positive, or the idle timeout is not above the heartbeat
         */
        public Builder withHeartbeat(Duration heartbeat, Duration idleTimeout) {
            long h = positive(heartbeat, "heartbeat interval");
            long i = positive(idleTimeout, "idle timeout");
            if (i <= h) {
                throw new IllegalArgumentException("idle timeout (" + idleTimeout + ") must be longer than the heartbeat"
                        + " interval (" + heartbeat + "), or idle links would be closed between heartbeats");
            }
            this.heartbeatIntervalNs = h;
            this.idleTimeoutNs = i;
            return this;
        }

        /**
         * The outbox bounds per link, in bytes.
         *
         * @throws IllegalArgumentException if {@code low} is below 1 or {@code high} is below {@code low}
         */
        public Builder withOutbox(int low, int high) {
            if (low < 1 || high < low) {
                throw new IllegalArgumentException("outbox marks must satisfy 1 <= low <= high, got " + low + ".."
                        + high);
            }
            this.outboxLowBytes = low;
            this.outboxHighBytes = high;
            return this;
        }

        /** @throws NullPointerException if {@code policy} is null */
        public Builder withReconnect(ReconnectPolicy policy) {
            this.reconnect = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param path the upgrade path, starting with {@code /}; null turns WebSocket off
         * @throws IllegalArgumentException if the path does not start with {@code /}
         */
        public Builder withWebSocketPath(String path) {
            if (path != null && !path.startsWith("/")) {
                throw new IllegalArgumentException("WebSocket path must start with '/', got '" + path + "'");
            }
            this.webSocketPath = path;
            return this;
        }

        /** The settings. */
        public TransportSettings build() {
            return new TransportSettings(this);
        }

        private static long positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d.toNanos();
        }
    }
}
