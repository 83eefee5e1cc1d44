# test/lib/canary.sh: crash detection for the test drivers.
# Source it; it defines sk_canary_start, sk_canary_check and sk_canary_stop.
#
# A server process that dies of a signal makes the postmaster end every
# other session and reinitialise; pg_postmaster_start_time() stays the same,
# so a suite can pass on a server that crashed under it.  The canary is one
# session held open in pg_sleep (application_name seedkit_canary, database
# postgres) for the whole run: when a suite ends, the same backend pid must
# still be there, and the server log must show no process killed by a
# signal.  Suites that end sessions on purpose target their own pids, never
# the canary's.
#
# Needs PGHOST/PGPORT/PGUSER of the server; sk_canary_start takes the path of
# its log file (or "" to skip the log scan).

SK_CANARY_APP=seedkit_canary

# sk_canary_start LOGFILE: open the canary session and remember its pid.
sk_canary_start() {
	local i tag
	SK_CANARY_LOG=${1:-}
	SK_CANARY_OFFSET=0
	if [ -n "$SK_CANARY_LOG" ] && [ -f "$SK_CANARY_LOG" ]; then
		SK_CANARY_OFFSET=$(stat -c %s "$SK_CANARY_LOG")
	fi
	SK_CANARY_BACKEND=""
	tag="$$.$RANDOM.$SECONDS"
	# the backend ends itself within a second of its psql going away
	PGAPPNAME=$SK_CANARY_APP \
	PGOPTIONS="-c statement_timeout=0 -c idle_session_timeout=0 -c client_connection_check_interval=1000" \
		psql -X -q -d postgres -c "SELECT pg_catalog.pg_sleep(1e7) /* seedkit canary $tag */" >/dev/null 2>&1 &
	SK_CANARY_JOB=$!
	# up to about two minutes: a server under valgrind starts a backend slowly
	for i in $(seq 1 1200); do
		SK_CANARY_BACKEND=$(psql -X -Atq -d postgres -c "SELECT pid FROM pg_catalog.pg_stat_activity
			WHERE application_name = '$SK_CANARY_APP' AND query LIKE '%seedkit canary $tag %'" 2>/dev/null)
		[ -n "$SK_CANARY_BACKEND" ] && return 0
		sleep 0.1
	done
	echo "could not start the canary session" >&2
	return 1
}

# sk_canary_check NAME: 0 when the canary's backend is still alive and the
# log shows no crash since the last check; else prints
# "server crashed during NAME" with the log lines, opens a new canary once
# the server accepts connections again, and returns 1.
sk_canary_check() {
	local name=$1 alive="" crash="" size i
	if [ -n "$SK_CANARY_BACKEND" ] && kill -0 "$SK_CANARY_JOB" 2>/dev/null; then
		alive=$(psql -X -Atq -d postgres -c "SELECT count(*) FROM pg_catalog.pg_stat_activity
			WHERE pid = $SK_CANARY_BACKEND AND application_name = '$SK_CANARY_APP'" 2>/dev/null)
	fi
	if [ -n "$SK_CANARY_LOG" ] && [ -f "$SK_CANARY_LOG" ]; then
		size=$(stat -c %s "$SK_CANARY_LOG")
		if [ "$size" -lt "$SK_CANARY_OFFSET" ]; then
			SK_CANARY_OFFSET=0
		fi
		crash=$(tail -c +"$((SK_CANARY_OFFSET + 1))" "$SK_CANARY_LOG" | grep -E \
			'terminated by signal|was terminated by exception|server process .* exited with exit code|terminating any other active server processes|all server processes terminated; reinitializing' \
			| head -n 5)
		SK_CANARY_OFFSET=$size
	fi
	if [ "$alive" = 1 ] && [ -z "$crash" ]; then
		return 0
	fi
	echo "FAILED  server crashed during $name (canary backend ${SK_CANARY_BACKEND:-?} is gone${crash:+; server log below})"
	[ -n "$crash" ] && echo "$crash" | sed 's/^/        /'
	sk_canary_stop
	for i in $(seq 1 300); do
		psql -X -Atq -d postgres -c "SELECT 1" >/dev/null 2>&1 && break
		sleep 0.2
	done
	sk_canary_start "$SK_CANARY_LOG" || true
	return 1
}

# sk_canary_stop: end the canary's psql (the job this shell started).
sk_canary_stop() {
	if [ -n "${SK_CANARY_JOB:-}" ]; then
		kill "$SK_CANARY_JOB" 2>/dev/null
		wait "$SK_CANARY_JOB" 2>/dev/null
		SK_CANARY_JOB=""
	fi
}
