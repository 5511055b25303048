-- wrk script: an open loop.  Requests leave at RATE a second in all (by
-- the clock, shared between wrk's threads), whatever the answers do:
-- each connection that is free takes the next slot of its thread's
-- schedule and waits for it.  wrk itself waits for an answer before the
-- next request of a connection, so that a slow answer delays the requests
-- behind it without their wait being counted; here a request only leaves
-- late when every connection of its thread is busy, and how late is
-- counted and printed (wrk's latency counts from when it left).
--
--   RATE=300 WRK_THREADS=2 wrk -t2 -c64 -d10s --latency -s tests/bench/openloop.lua URL
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } openloop_ts;
int clock_gettime(int, openloop_ts *);
]]
local ts = ffi.new("openloop_ts")

local function now_ms()
	ffi.C.clock_gettime(1, ts)	-- CLOCK_MONOTONIC
	return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

-- wrk tells a thread nothing of the others: WRK_THREADS (the -t given
-- to wrk) says how many share RATE.
function init(args)
	local rate = tonumber(os.getenv("RATE") or "100") /
	    tonumber(os.getenv("WRK_THREADS") or "2")
	interval = 1000 / rate
	next_slot = now_ms() + 10
	sent, late = 0, 0
	lateness = {}
end

function delay()
	local slot, t = next_slot, now_ms()
	next_slot = next_slot + interval
	sent = sent + 1
	if slot >= t then
		return math.ceil(slot - t)
	end
	if t - slot > 1 then
		late = late + 1
		lateness[#lateness + 1] = t - slot
	end
	return 0
end

function done(summary, latency, requests)
	local n, l, all = 0, 0, {}
	for _, t in ipairs(threads) do
		n = n + t:get("sent")
		l = l + t:get("late")
		for _, v in ipairs(t:get("lateness")) do all[#all + 1] = v end
	end
	table.sort(all)
	local function at(p)
		if #all == 0 then return 0 end
		return all[math.max(1, math.ceil(#all * p))]
	end
	io.write(string.format("openloop: %d sent, %d more than 1 ms late "
	    .. "(of those: median %.1f ms, max %.1f ms)\n", n, l, at(0.5),
	    at(1)))
end
