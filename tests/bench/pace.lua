-- wrk script: each connection waits PACE_MS (default 150) milliseconds
-- after every answer, like a client with think time, so that the
-- latency is measured below saturation rather than in a queue.
local pace = tonumber(os.getenv("PACE_MS") or "150")

function delay()
	return pace
end
