package com.qiledger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenSSL's single-thread ECDSA P-521 rate on this machine, the yardstick of the signed target
 * (issue 20: signed acked webhooks/s >= 0.5 x cores x OpenSSL's verify rate, measured in the same run):
 * {@code openssl speed -mr -seconds 5 ecdsap521}, one process, one thread; rates per second of CPU
 * time (OpenSSL's default divisor, not {@code -elapsed}), so other work on the machine does not lower them.
 */
final class OpenSsl {

    static final int SECONDS = 5;

    /** {@code -mr}'s summary: {@code +F4:<index>:<bits>:<sign/s>:<verify/s>}. */
    private static final Pattern MACHINE = Pattern.compile("^\\+F4:\\d+:521:([0-9.]+):([0-9.]+)\\s*$", Pattern.MULTILINE);
    /** The table a build without {@code -mr} prints: {@code 521 bits ecdsa (nistp521) 0.0002s 0.0004s 4907.1 2714.1}. */
    private static final Pattern TABLE = Pattern.compile(
            "521 bits ecdsa \\(nistp521\\)\\s+\\S+s\\s+\\S+s\\s+([0-9.]+)\\s+([0-9.]+)");

    /** {@code verifies_per_second} and {@code signs_per_second}, or {@code available: false} and why. */
    static Map<String, Object> ecdsaP521(String openssl) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> command = List.of(openssl, "speed", "-mr", "-seconds", Integer.toString(SECONDS), "ecdsap521");
        m.put("command", String.join(" ", command));
        try {
            m.put("version", run(List.of(openssl, "version"), 30).strip());
            String out = run(command, 10L * SECONDS + 120);
            Matcher match = MACHINE.matcher(out);
            if (!match.find()) {
                match = TABLE.matcher(out);
                if (!match.find()) {
                    throw new IOException("no P-521 rates in its output: " + Service.lastLines(out, 5));
                }
            }
            m.put("available", true);
            m.put("divisor", "CPU time (one thread)");
            m.put("signs_per_second", Double.parseDouble(match.group(1)));
            m.put("verifies_per_second", Double.parseDouble(match.group(2)));
        } catch (IOException e) {
            m.put("available", false);
            m.put("reason", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.put("available", false);
            m.put("reason", "interrupted");
        }
        return m;
    }

    /** The command's output (stdout and stderr); an IOException when it cannot run, fails or hangs. */
    private static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("qi-ledger-bench-openssl-", ".txt");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                throw new IOException(command.get(0) + " cannot be run (" + e.getMessage() + "); install OpenSSL "
                        + "(Debian/Ubuntu: apt-get install openssl) or point BENCH_OPENSSL_COMMAND at it", e);
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + Service.lastLines(out, 5));
            }
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private OpenSsl() {
    }
}
