// Plain JavaScript, free of side effects: the launcher imports it, and so do benchmarks and tests that
// start service processes the way the launcher does.

/**
 * V8 flags for the long-running service commands (serve, worker, start, demo). A monitor allocates in
 * bursts; V8's defaults size the heap for throughput (a young generation of up to 3 × 32 MB, an old
 * generation allowed to grow well past what is live before it is collected), which is most of a busy
 * service's RSS. These keep it near what is live (on PostgreSQL, 135 MB steady instead of 230 MB).
 * `--optimize-for-size` costs CPU when the service has none to spare (about 12% fewer checks in the
 * CPU-bound soak at 400×); a monitor on a real clock idles between sweeps. See docs/performance.md.
 */
export const SERVICE_NODE_ARGS = ['--max-semi-space-size=4', '--optimize-for-size'];
