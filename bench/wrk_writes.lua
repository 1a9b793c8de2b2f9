-- wrk script for the write benchmarks. Usage:
--   wrk -s bench/wrk_writes.lua URL -- create KEYFILE
--   wrk -s bench/wrk_writes.lua URL -- joinleave KEYFILE ROOMFILE
-- "create": POST a room set with 5 rooms as a random host.
-- "joinleave": a random user joins one of a few rooms, or leaves it if it last joined.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_common.lua")
local keys, rooms, inside = {}, {}, {}
local mode

function init(args)
    mode = args[1]
    read_lines(args[2], keys)
    if mode == "joinleave" then
        read_lines(args[3], rooms)
    end
end

local create_body = '{"name": "Bench write", "socials": ['
    .. '{"name": "A", "size": "Mini"}, {"name": "B", "size": "Small"}, {"name": "C"},'
    .. ' {"name": "D"}, {"name": "E", "size": "Large"}]}'

function request()
    local n = math.random(#keys)
    local headers = { ["X-API-Key"] = keys[n], ["Content-Type"] = "application/json" }
    if mode == "create" then
        return wrk.format("POST", "/api/v1/social/room/set", headers, create_body)
    end
    local room = inside[n]
    if room then
        inside[n] = nil
        return wrk.format("POST", "/api/v1/social/" .. room .. "/leave", headers, "")
    end
    room = rooms[math.random(#rooms)]
    inside[n] = room
    return wrk.format("POST", "/api/v1/social/" .. room .. "/join", headers, "")
end
