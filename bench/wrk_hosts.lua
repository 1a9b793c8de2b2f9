-- wrk script: GET one path as a random host out of a key file, and print the result as JSON.
-- Usage: wrk -s bench/wrk_hosts.lua URL -- KEYFILE
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_common.lua")
local keys = {}
local path

function init(args)
    read_lines(args[1], keys)
    path = wrk.path
end

function request()
    return wrk.format("GET", path, { ["X-API-Key"] = keys[math.random(#keys)] })
end
