# test/lib/cluster.sh: helpers shared by the test, demo and bench drivers.
# Source it; it defines sk_install_deps, sk_build_install, sk_cluster_start
# and sets a trap that stops and removes the throwaway cluster on exit.
#
# Environment:
#   SEEDKIT_DESTDIR  install the extension under this DESTDIR and run that
#                    copy of PostgreSQL (lets several checkouts test at once)
#   SEEDKIT_NO_APT   skip apt-get (packages already present)

SK_PGVER=15

sk_log() { printf '== %s\n' "$*" >&2; }

# Install what the build and the tests need (Debian 12).
sk_install_deps() {
	if [ -n "${SEEDKIT_NO_APT:-}" ]; then
		return 0
	fi
	local pkgs="postgresql-$SK_PGVER postgresql-server-dev-$SK_PGVER libjson-c-dev
		libicu-dev pkg-config make gcc clang libclang-rt-14-dev valgrind
		python3 python3-pytest python3-psycopg2 python3-hypothesis
		python3-pytest-xdist graphviz ruby-faker python3-yaml"
	local missing=""
	# Node.js may come from elsewhere (its package then provides npm and
	# conflicts with Debian's): only ask for it when the commands are missing.
	command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
	command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		sk_log "apt-get install$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq $missing >&2
	fi
}

# The PostgreSQL binaries the cluster runs: the system's, or the DESTDIR copy.
sk_pg_bindir() {
	local sysbin
	sysbin=$(pg_config --bindir)
	if [ -n "${SEEDKIT_DESTDIR:-}" ]; then
		if [ ! -x "$SEEDKIT_DESTDIR$sysbin/postgres" ]; then
			mkdir -p "$SEEDKIT_DESTDIR$(dirname "$sysbin")" "$SEEDKIT_DESTDIR$(dirname "$(pg_config --sharedir)")"
			cp -a "$(dirname "$sysbin")" "$SEEDKIT_DESTDIR$(dirname "$(dirname "$sysbin")")/"
			cp -a "$(pg_config --sharedir)" "$SEEDKIT_DESTDIR$(dirname "$(pg_config --sharedir)")/"
		fi
		echo "$SEEDKIT_DESTDIR$sysbin"
	else
		echo "$sysbin"
	fi
}

# Build with -Werror and install (into DESTDIR when set).
sk_build_install() {
	local top=$1
	sk_log "building seedkit"
	make -C "$top" -s clean >/dev/null
	make -C "$top" -s COPT="-Werror ${SK_COPT:-}" >&2
	sk_pg_bindir >/dev/null
	make -C "$top" -s install ${SEEDKIT_DESTDIR:+DESTDIR=$SEEDKIT_DESTDIR} >&2
}

# Start a throwaway cluster as an unprivileged user; exports PGHOST, PGPORT,
# PGUSER, PGDATABASE. Stopped and removed by the EXIT trap.
sk_cluster_start() {
	local bindir port
	bindir=$(sk_pg_bindir)
	SK_RUNAS=postgres
	id "$SK_RUNAS" >/dev/null 2>&1 || useradd --system --no-create-home "$SK_RUNAS"
	SK_TMP=$(mktemp -d /tmp/seedkit-cluster.XXXXXX)
	chown "$SK_RUNAS" "$SK_TMP"
	trap sk_cluster_stop EXIT
	trap 'exit 130' INT TERM
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	runuser -u "$SK_RUNAS" -- "$bindir/initdb" -D "$SK_TMP/data" -U postgres -E UTF8 --locale=C.UTF-8 -A trust >"$SK_TMP/initdb.log" 2>&1 \
		|| { cat "$SK_TMP/initdb.log" >&2; return 1; }
	cat >>"$SK_TMP/data/postgresql.conf" <<CONF
listen_addresses = ''
port = $port
unix_socket_directories = '$SK_TMP'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 50
CONF
	runuser -u "$SK_RUNAS" -- "$bindir/pg_ctl" -D "$SK_TMP/data" -l "$SK_TMP/server.log" -w start >/dev/null \
		|| { cat "$SK_TMP/server.log" >&2; return 1; }
	SK_BINDIR=$bindir
	export PGHOST=$SK_TMP PGPORT=$port PGUSER=postgres PGDATABASE=postgres
	sk_log "cluster up on port $port (socket $SK_TMP)"
}

sk_cluster_stop() {
	local rc=$?
	if [ -n "${SK_TMP:-}" ] && [ -d "$SK_TMP" ]; then
		runuser -u "$SK_RUNAS" -- "$SK_BINDIR/pg_ctl" -D "$SK_TMP/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$SK_TMP"
	fi
	exit $rc
}
