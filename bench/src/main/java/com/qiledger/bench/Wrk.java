package com.qiledger.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The maximum-throughput part driven by wrk (a C client, as the figures and pgbench are)
 * instead of the JDK HttpClient: a closed loop of {@code config.concurrency()} connections on
 * {@code 2 or cpus} threads. Measured on 2 cores, the Java client itself used 0.3 to 0.65 of a core at
 * 64 senders, CPU the service does not get; wrk uses about 0.04.
 *
 * <p>The deliveries are rendered (and, for a pre-signed workload, signed) before the timed part into a
 * data file of complete raw HTTP/1.1 requests, each record a decimal length line then that many bytes.
 * A generated Lua script gives record {@code i} to wrk thread {@code i % threads} ({@code init} loads
 * its own, seeking over the others'), {@code request()} hands them out in order, and a thread that has
 * used all of its records stops ({@code wrk.thread:stop()}; its last request goes once more and is
 * answered 200 as a duplicate): the part then reached its cap, and says so. No {@code response()} is
 * defined, so wrk does not hand every answer to Lua. At the end {@code done()} prints, per thread, how
 * many records it had and handed out.
 */
final class Wrk {

    /** Unsigned deliveries rendered per second of the part, at least (rendering is cheap). */
    static final long UNSIGNED_RENDER_RATE = 5000;

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m|h)\\b");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s+(50|75|90|99)%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$");
    private static final Pattern LATENCY = Pattern.compile(
            "(?m)^\\s+Latency\\s+([\\d.]+)(us|ms|s|m|h)\\s+([\\d.]+)(us|ms|s|m|h)\\s+([\\d.]+)(us|ms|s|m|h)");
    private static final Pattern THREAD = Pattern.compile(
            "(?m)^qi-ledger-wrk-thread (\\d+) records (\\d+) handed_out (\\d+) exhausted (true|false)$");

    /** What {@code wrk -v} said: its version line when {@code command} is a working wrk, else why not. */
    record Probe(String version, String missing) {
    }

    /** Runs {@code command -v} once (wrk prints its version and usage, and exits 1). */
    static Probe probe(String command) {
        try {
            Process p = new ProcessBuilder(command, "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Probe(null, "'" + command + " -v' did not end");
            }
            String first = out.lines().findFirst().orElse("");
            return out.startsWith("wrk ")
                    ? new Probe(first.replace(" Copyright (C) 2012 Will Glozer", ""), null)
                    : new Probe(null, "'" + command + " -v' printed no wrk version: " + first);
        } catch (IOException e) {
            return new Probe(null, command
                    + " not found (Debian/Ubuntu: apt-get install wrk; or BENCH_WRK_COMMAND, or BENCH_WRK=0)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(null, "interrupted");
        }
    }

    /** A rendered part: its data file and script, ready for {@link #run}. */
    static final class Part {
        final String label;
        final int threads;
        final int connections;
        final long seconds;
        final long timeoutSeconds;
        final long rendered;
        final long bytes;
        final boolean presigned;
        final double renderSeconds;
        final Path data;
        final Path script;
        final Path ready;
        final Path log;
        final List<String> command;
        final long clockTicks;

        private Part(String label, int threads, int connections, long seconds, long timeoutSeconds, long rendered,
                     long bytes, boolean presigned, double renderSeconds, Path data, Path script, Path ready, Path log,
                     List<String> command, long clockTicks) {
            this.label = label;
            this.threads = threads;
            this.connections = connections;
            this.seconds = seconds;
            this.timeoutSeconds = timeoutSeconds;
            this.rendered = rendered;
            this.bytes = bytes;
            this.presigned = presigned;
            this.renderSeconds = renderSeconds;
            this.data = data;
            this.script = script;
            this.ready = ready;
            this.log = log;
            this.command = command;
            this.clockTicks = clockTicks;
        }

        /**
         * Runs wrk; {@code onReady} runs once every wrk thread has loaded its records (the timed part
         * starts then), so that CPU is measured over the load and not the loading. Returns the part's
         * figures, in the keys the Java part's summary uses where they apply; wrk's own CPU over the
         * load in {@code wrk_cpu_cores}.
         */
        Map<String, Object> run(Runnable onReady) throws IOException, InterruptedException {
            deleteReadyMarks();
            // init runs in every thread's state in turn, before that thread starts: the last one's mark
            // means all have loaded (the script's request() holds the first threads until then)
            Path lastReady = Path.of(ready + Integer.toString(threads - 1));
            double childrenBefore = Service.childrenCpuSeconds(clockTicks);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 600);
            while (p.isAlive() && !Files.exists(lastReady) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            boolean readied = Files.exists(lastReady);
            double loadingCpu = readied ? Service.cpuSeconds(p.pid(), clockTicks) : 0;
            long readyAt = System.nanoTime();
            onReady.run();
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new IOException("wrk did not end within " + (seconds + 600) + " s; output in " + log.getFileName());
            }
            double wall = (System.nanoTime() - readyAt) / 1e9;
            double wrkCpu = Service.childrenCpuSeconds(clockTicks) - childrenBefore;
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !readied) {
                throw new IOException("wrk " + (readied ? "exited " + p.exitValue() : "never loaded its records")
                        + "; its output (" + log.getFileName() + "): " + out.strip().replace("\n", " | "));
            }
            return parse(out, Math.max(0, wrkCpu - loadingCpu), loadingCpu, wall);
        }

        private Map<String, Object> parse(String out, double cpu, double loadingCpu, double wall) throws IOException {
            Matcher m = REQUESTS.matcher(out);
            if (!m.find()) {
                throw new IOException("no 'N requests in T' in wrk's output (" + log.getFileName() + ")");
            }
            long requests = Long.parseLong(m.group(1));
            double duration = millis(m.group(2), m.group(3)) / 1000;
            Matcher rate = RATE.matcher(out);
            double perSecond = rate.find() ? Double.parseDouble(rate.group(1)) : requests / duration;
            // wrk prints the duration in its own units ("1.00m" for 60 s); Requests/sec is requests over
            // the exact runtime, so the runtime follows from both
            double seconds = perSecond > 0 ? requests / perSecond : duration;
            Matcher non = NON_2XX.matcher(out);
            long non2xx = non.find() ? Long.parseLong(non.group(1)) : 0;
            long connect = 0;
            long read = 0;
            long write = 0;
            long timeout = 0;
            Matcher socket = SOCKET.matcher(out);
            if (socket.find()) {
                connect = Long.parseLong(socket.group(1));
                read = Long.parseLong(socket.group(2));
                write = Long.parseLong(socket.group(3));
                timeout = Long.parseLong(socket.group(4));
            }
            // wrk counts an answer that came after --timeout in its requests and as a timeout (and keeps
            // it out of the latencies); like the Java client, it is failed here, not acknowledged
            long acknowledged = Math.max(0, requests - non2xx - timeout);
            long failed = non2xx + connect + read + write + timeout;
            boolean exhausted = false;
            long handedOut = 0;
            List<Map<String, Object>> perThread = new ArrayList<>();
            Matcher t = THREAD.matcher(out);
            while (t.find()) {
                Map<String, Object> th = new LinkedHashMap<>();
                th.put("thread", Integer.parseInt(t.group(1)));
                th.put("records", Long.parseLong(t.group(2)));
                th.put("handed_out", Long.parseLong(t.group(3)));
                th.put("exhausted", Boolean.parseBoolean(t.group(4)));
                exhausted |= Boolean.parseBoolean(t.group(4));
                handedOut += Long.parseLong(t.group(3));
                perThread.add(th);
            }
            boolean capReached = exhausted || requests >= rendered;

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mode", "closed-loop (wrk)");
            r.put("generator", "wrk");
            r.put("command", String.join(" ", command));
            r.put("threads", threads);
            r.put("senders", connections);
            r.put("seconds", seconds);
            r.put("prerendered", rendered);
            r.put("prerendered_bytes", bytes);
            r.put("prerender_seconds", renderSeconds);
            r.put("cap", rendered);
            r.put("cap_reached", capReached);
            if (presigned) {
                r.put("presigned_cap", rendered);
                r.put("presigned_cap_reached", capReached);
            }
            r.put("handed_out", handedOut);
            r.put("sent", requests);
            r.put("acknowledged", acknowledged);
            r.put("acknowledged_per_second", acknowledged / seconds);
            r.put("requests_per_second_wrk", perSecond);
            r.put("failed", failed);
            Map<String, Long> failures = new LinkedHashMap<>();
            failures.put("non_2xx", non2xx);
            failures.put("socket_connect", connect);
            failures.put("socket_read", read);
            failures.put("socket_write", write);
            failures.put("timeout", timeout);
            failures.put("socket_errors", connect + read + write + timeout);
            r.put("failures", failures);
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("count", requests - timeout);
            Matcher p = PERCENTILE.matcher(out);
            while (p.find()) {
                latency.put("p" + p.group(1), millis(p.group(2), p.group(3)));
            }
            Matcher l = LATENCY.matcher(out);
            if (l.find()) {
                latency.put("mean", millis(l.group(1), l.group(2)));
                latency.put("stdev", millis(l.group(3), l.group(4)));
                latency.put("max", millis(l.group(5), l.group(6)));
            }
            r.put("latency_ms", latency);
            r.put("wrk_cpu_cores", cpu / wall);
            r.put("wrk_cpu_seconds", cpu);
            r.put("wrk_loading_cpu_seconds", loadingCpu);
            r.put("wrk_threads", perThread);
            r.put("output", log.getFileName().toString());
            return r;
        }

        private void deleteReadyMarks() throws IOException {
            for (int i = 0; i < threads; i++) {
                Files.deleteIfExists(Path.of(ready + Integer.toString(i)));
            }
        }

        /** Deletes the data file (hundreds of MB in a full run) and the ready marks; keeps script and log. */
        void cleanup() {
            try {
                Files.deleteIfExists(data);
                deleteReadyMarks();
            } catch (IOException e) {
                System.out.println("   !! could not delete " + data + ": " + e);
            }
        }
    }

    /**
     * Renders the part's deliveries into {@code <dir>/wrk-<workload>-<label>.data} and writes its
     * script: {@code workload.prepare} first (a pre-signed workload signs then and returns how many;
     * {@code Long.MAX_VALUE} means unsigned, then {@code max(BENCH_SIGNED_CAP_RATE, 5000) x seconds} are
     * rendered), then {@code next} that many times, streamed to the file.
     */
    static Part prepare(Config config, Workloads.Workload workload, int port, Path dir, String label, long seed)
            throws IOException {
        long seconds = config.maxDuration().toSeconds();
        long presignedCap = (long) Math.ceil(config.signedCapRate() * seconds);
        long started = System.nanoTime();
        long prepared = workload.prepare(presignedCap, config.maxDuration());
        boolean presigned = prepared != Long.MAX_VALUE;
        long count = presigned ? prepared
                : (long) Math.ceil(Math.max(config.signedCapRate(), UNSIGNED_RENDER_RATE) * seconds);
        String base = "wrk-" + workload.name() + "-" + label;
        Path data = dir.resolve(base + ".data");
        SplittableRandom random = new SplittableRandom(seed);
        long bytes = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data), 1 << 20)) {
            for (long i = 0; i < count; i++) {
                Workloads.Delivery d = workload.next(random);
                StringBuilder h = new StringBuilder(256);
                h.append("POST ").append(Http.WEBHOOK_PATH).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                        .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(d.body().length)
                        .append("\r\n");
                String[] headers = d.headers();
                for (int k = 0; k + 1 < headers.length; k += 2) {
                    h.append(headers[k]).append(": ").append(headers[k + 1]).append("\r\n");
                }
                h.append("\r\n");
                byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
                int length = head.length + d.body().length;
                out.write((length + "\n").getBytes(StandardCharsets.US_ASCII));
                out.write(head);
                out.write(d.body());
                bytes += length;
            }
        }
        double renderSeconds = (System.nanoTime() - started) / 1e9;
        int connections = config.concurrency();
        int threads = Math.max(1, Math.min(connections, Math.max(2, Runtime.getRuntime().availableProcessors())));
        Path ready = dir.resolve(base + ".ready");
        Path script = dir.resolve(base + ".lua");
        Files.writeString(script, lua(data, ready, threads), StandardCharsets.UTF_8);
        Path log = dir.resolve(base + ".log");
        long timeout = Math.max(1, config.requestTimeout().toSeconds());
        List<String> command = List.of(config.wrkCommand(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", timeout + "s", "--latency", "-s", script.toString(), "http://127.0.0.1:" + port);
        return new Part(label, threads, connections, seconds, timeout, count, bytes, presigned, renderSeconds, data,
                script, ready, log, command, config.clockTicks());
    }

    /** The generated script (see the class comment). {@code ready}: each thread creates {@code <ready><index>}. */
    private static String lua(Path data, Path ready, int threads) {
        return """
                -- Generated by the QI Ledger benchmark (bench/.../Wrk.java); one run's script.
                local DATA = %s
                local READY = %s
                local THREADS = %d
                local started = {}
                local counter = 0

                -- main state, once per thread before its init: its index
                function setup(thread)
                  thread:set("index", counter)
                  counter = counter + 1
                  table.insert(started, thread)
                end

                -- thread state: record i of the file (0-based) belongs to thread i %% THREADS
                function init(args)
                  local f = assert(io.open(DATA, "rb"))
                  local mine = {}
                  local n = 0
                  local i = 0
                  while true do
                    local line = f:read("*l")
                    if not line then break end
                    local len = tonumber(line)
                    if i %% THREADS == index then
                      n = n + 1
                      mine[n] = f:read(len)
                    else
                      f:seek("cur", len)
                    end
                    i = i + 1
                  end
                  f:close()
                  records = mine
                  total = n
                  pos = 0
                  exhausted = false
                  local mark = assert(io.open(READY .. index, "w"))
                  mark:close()
                end

                -- wrk starts each thread right after its own init and its clock after the last one: a
                -- thread that loaded early waits for the last one's mark, so that nothing is sent, and
                -- counted, before the measured window opens. Not on thread 0's first call: wrk's main
                -- thread makes it (to check the script's request) before it runs the next thread's init
                function request()
                  calls = (calls or 0) + 1
                  if not go and not (index == 0 and calls == 1) then
                    local mark = io.open(READY .. (THREADS - 1), "r")
                    while not mark do
                      mark = io.open(READY .. (THREADS - 1), "r")
                    end
                    mark:close()
                    go = true
                  end
                  if pos < total then
                    pos = pos + 1
                    last = records[pos]
                    records[pos] = nil
                    return last
                  end
                  if not exhausted then
                    exhausted = true
                    wrk.thread:stop()
                  end
                  return last
                end

                function done(summary, latency, requests)
                  for _, t in ipairs(started) do
                    io.write(string.format("qi-ledger-wrk-thread %%d records %%d handed_out %%d exhausted %%s\\n",
                      t:get("index"), t:get("total"), t:get("pos"), tostring(t:get("exhausted"))))
                  end
                end
                """.formatted(luaString(data.toString()), luaString(ready.toString()), threads);
    }

    private static String luaString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** wrk's time (number and unit) in milliseconds. */
    static double millis(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }

    private Wrk() {
    }
}
