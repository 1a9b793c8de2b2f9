-- Shared by the wrk scripts of the harness: reading key files and reporting as JSON.
-- Loaded with `dofile` from the script's own folder (see the top of each script).

function read_lines(path, into)
    for line in io.lines(path) do
        into[#into + 1] = line
    end
    return into
end

-- bench/run.py reads this line: every count wrk keeps, and the latency percentiles in µs.
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, '
            .. '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d}\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
