-- wrk script: GET one path as a random host out of a key file, and print the result as JSON.
-- Usage: wrk -s bench/wrk_hosts.lua URL -- KEYFILE
local keys = {}
local path

function init(args)
    for line in io.lines(args[1]) do
        keys[#keys + 1] = line
    end
    path = wrk.path
end

function request()
    return wrk.format("GET", path, { ["X-API-Key"] = keys[math.random(#keys)] })
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, '
            .. '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d}\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
