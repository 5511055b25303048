# Shared by the benchmark scripts: a private production stack on free
# ports, and one table row per wrk run.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SECONDS_EACH=${BENCH_SECONDS:-10}

bench_start() {
	export VAR=$(mktemp -d /tmp/fleetcore-bench.XXXXXX)
	chmod 755 "$VAR"
	local free='import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
	export HTTPS_PORT=$(python3 -c "$free") HTTP_PORT=$(python3 -c "$free")
	# production unless the bench needs a fake's loopback endpoints.
	export FLEETCORE_ENV=${BENCH_ENV:-production} BUILD=build
	trap 'fcgi/bin/fleetcore-stack stop >/dev/null 2>&1; rm -rf "$VAR"' EXIT
	fcgi/bin/fleetcore-stack start >/dev/null
	BASE=https://localhost:$HTTPS_PORT
	echo "# $(date -u +%Y-%m-%dT%H:%MZ) — $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
	echo "# workers: $(pgrep -P "$(cat "$VAR/run/fleetcore-fcgi.pid")" | wc -l), wrk ${SECONDS_EACH}s per run, 2 threads"
}

bench_header() {
	printf '| target | connections | requests/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|---|\n'
}

# bench_row LABEL URL CONNECTIONS [wrk options…]
bench_row() {
	local label=$1 url=$2 c=$3 out rps p50 p99 non2xx errs
	shift 3
	# wrk stops with requests still in the workers (a search at 64
	# connections leaves half a second of them): let them finish first.
	sleep 3
	out=$(wrk -t2 -c"$c" -d"${SECONDS_EACH}s" --latency "$@" "$url" 2>&1)
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1=="50%" {print $2}' <<<"$out")
	p99=$(awk '$1=="99%" {print $2}' <<<"$out")
	non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
	errs=$(grep -Eo 'Socket errors:.*' <<<"$out" || true)
	printf '| %s | %d | %s | %s | %s | %s %s |\n' "$label" "$c" "$rps" "$p50" \
		"$p99" "${non2xx:-0}" "$errs"
	BENCH_RPS=$rps	# for the caller: the rate of this run
}

bench_open_header() {
	printf '| target | offered/s | answered/s | p50 | p90 | p99 | non-2xx | sent > 1 ms late |\n'
	printf '|---|---|---|---|---|---|---|---|\n'
}

# bench_open LABEL URL RATE [wrk options…]: RATE requests a second by the
# clock (tests/bench/openloop.lua) from 64 connections.
bench_open() {
	local label=$1 url=$2 rate=$3 out non2xx
	shift 3
	sleep 3
	out=$(RATE=$rate WRK_THREADS=2 wrk -t2 -c64 -d"${SECONDS_EACH}s" --latency \
		-s tests/bench/openloop.lua "$@" "$url" 2>&1)
	non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$rate" \
		"$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
		"$(awk '$1=="50%" {print $2}' <<<"$out")" \
		"$(awk '$1=="90%" {print $2}' <<<"$out")" \
		"$(awk '$1=="99%" {print $2}' <<<"$out")" \
		"${non2xx:-0}" \
		"$(sed -n 's/^openloop: [0-9]* sent, //p' <<<"$out")"
}

# ratio A B: A / B as a percentage.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }

owner_psql() {
	local cmd=(psql -h "$VAR/run" -U fleetcore_owner -d fleetcore -v ON_ERROR_STOP=1 -qAt "$@")
	if [[ $(id -u) -eq 0 ]]; then runuser -u fleetcore -- "${cmd[@]}"; else "${cmd[@]}"; fi
}

owner_cli() {
	local cmd=(env FLEETCORE_DB_OWNER="host=$VAR/run dbname=fleetcore user=fleetcore_owner" build/fleetcore "$@")
	if [[ $(id -u) -eq 0 ]]; then runuser -u fleetcore -- "${cmd[@]}"; else "${cmd[@]}"; fi
}

# A session cookie for email (password fleetcore-demo), through the form.
bench_login() {
	local jar csrf
	jar=$(mktemp)
	csrf=$(curl -ks -c "$jar" -b "$jar" "$BASE/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
	curl -ks -c "$jar" -b "$jar" "$BASE/login" --data-urlencode "csrf=$csrf" \
		--data-urlencode "email=$1" --data-urlencode "password=fleetcore-demo" -o /dev/null
	awk '$6 == "__Host-fleetcore" {print $7}' "$jar"
	rm -f "$jar"
}
