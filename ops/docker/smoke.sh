#!/usr/bin/env bash
# `npm run test:compose`: the compose cluster, for real, on this machine. It
#   1. finds or starts a Docker daemon (dockerd.sh),
#   2. builds the local base images if missing (build-local-images.sh) — or, with
#      JPKI_SMOKE_IMAGES=official, uses the official images the compose file pins,
#   3. builds the one jpki-verify image (build-image.sh),
#   4. starts docker-compose.yml (project jpki-smoke, free ports on 127.0.0.1) and waits until
#      every container is healthy,
#   5. runs the README's flows from this host through the published port — a valid and a revoked
#      authentication, enrolment, a credit and a debit payment (and a debit with a wrong PIN,
#      declined) — and checks that every published port binds to 127.0.0.1,
#   6. checks that Prometheus scrapes every target (the API and each worker) with up == 1,
#   7. removes the cluster and its volumes (JPKI_SMOKE_KEEP=1 leaves it running), and stops the
#      daemon if it started it.
# Prints the time of each step. Needs the CLI built (`npm run build`; test:compose does it).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/ops/docker
project=${JPKI_SMOKE_PROJECT:-jpki-smoke}
export COMPOSE_PROJECT_NAME=$project

say() { echo "smoke: $*"; }
fail() {
  echo "smoke: FAIL: $*" >&2
  exit 1
}
step_start=$SECONDS
lap() {
  say "$1: $((SECONDS - step_start)) s"
  step_start=$SECONDS
}
[ -f dist/src/cli/main.js ] || fail 'the CLI is not built: npm run build'

# 1. The daemon.
daemon=$("$here/dockerd.sh" start)
compose=(docker-compose -f "$root/docker-compose.yml")
work=$(mktemp -d /var/tmp/jpki-smoke.XXXXXX)
finish() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    "${compose[@]}" ps >&2 || true
    "${compose[@]}" logs --no-color --tail 30 >&2 || true
  fi
  if [ "${JPKI_SMOKE_KEEP:-}" = 1 ] && [ $rc -eq 0 ]; then
    say "cluster left running (project $project); remove it with: COMPOSE_PROJECT_NAME=$project ${compose[*]} down -v"
  else
    "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
    [ "$daemon" != started ] || "$here/dockerd.sh" stop
  fi
  rm -rf "$work"
  exit $rc
}
trap finish EXIT
lap "daemon ($daemon)"

# 2–3. Images.
if [ "${JPKI_SMOKE_IMAGES:-local}" = local ]; then
  "$here/build-local-images.sh"
  compose+=(--env-file "$here/local.env")
  export BASE_IMAGE=local/node:24-bookworm
  lap 'local base images'
fi
"$here/build-image.sh"
lap "jpki-verify image ($(docker image inspect -f '{{.Size}}' "${JPKI_IMAGE:-jpki-verify}" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"

# 4. The cluster, from a clean slate, on free ports.
"$root/ops/compose/secrets.sh" >/dev/null
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
JPKI_API_PORT=$(free_port)
JPKI_PROMETHEUS_PORT=$(free_port)
export JPKI_API_PORT JPKI_PROMETHEUS_PORT
"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
"${compose[@]}" up -d --no-build
containers=$("${compose[@]}" ps -q)
[ "$(echo "$containers" | wc -l)" -eq 8 ] || fail "expected 8 containers (jlis, postgres, redis, api, 2 workers, bank, prometheus), got: $("${compose[@]}" ps)"
for _ in $(seq 1 120); do
  # shellcheck disable=SC2086
  states=$(docker inspect -f '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}' $containers)
  echo "$states" | grep -qv ' healthy$' || break
  echo "$states" | grep -q ' unhealthy$' && fail "unhealthy: $(echo "$states" | grep ' unhealthy$')"
  sleep 2
done
echo "$states" | grep -v ' healthy$' && fail 'not every container became healthy in 240 s'
lap 'cluster up, every container healthy'

# 5. The README's flows, from this host, through the published port.
for c in $containers; do
  docker port "$c" | while read -r binding; do
    case "$binding" in *'-> 127.0.0.1:'*) ;; *) fail "port not bound to 127.0.0.1: $binding" ;; esac
  done
done
docker cp "$("${compose[@]}" ps -q jlis)":/data/pki "$work/demo-pki"
api=http://127.0.0.1:$JPKI_API_PORT
C=(node dist/src/cli/main.js client --url "$api" --key demo-key-change-me --dir "$work/demo-pki")
# run NAME EXPECTED-EXIT PATTERN ARGS…: the client's exit code and a line of its JSON answer.
run() {
  local name=$1 want=$2 pattern=$3 rc=0
  shift 3
  "${C[@]}" "$@" >"$work/out.json" 2>&1 || rc=$?
  if [ "$rc" != "$want" ] || ! grep -Eq "$pattern" "$work/out.json"; then
    cat "$work/out.json" >&2
    fail "$name: exit $rc (expected $want), answer above (expected /$pattern/)"
  fi
  say "$name: ok"
}
run 'valid authentication (a2)' 0 '"status": "valid"' auth --holder a2
run 'revoked authentication (a1)' 1 '"code": "revoked"' auth --holder a1
run 'enrol c5 with a credit and a debit card' 0 '"customerRef": "c5"' enrol --holder a5 --customer c5 \
  --card demo-bank:credit:4111111111111111,demo-bank:debit:5555666677778888
pin_key=$(cat var/secrets/pin_key)
run 'credit payment' 0 '"decision": "approved"' pay --holder a5 --method credit --amount 1200
run 'debit payment with the PIN' 0 '"decision": "approved"' pay --holder a5 --method debit --amount 800 --pin 1234 --pin-key "$pin_key"
run 'debit payment with a wrong PIN' 1 '"decision": "declined"' pay --holder a5 --method debit --amount 800 --pin 9999 --pin-key "$pin_key"
lap 'flows'

# 6. Prometheus scrapes every target: the API and each worker replica, all up.
prom=http://127.0.0.1:$JPKI_PROMETHEUS_PORT
workers=$("${compose[@]}" ps -q worker | wc -l)
[ "$workers" -eq 2 ] || fail "expected 2 worker replicas, got $workers"
ok=false
for _ in $(seq 1 60); do
  if node -e '
    const [prom, workers] = [process.argv[1], Number(process.argv[2])];
    fetch(`${prom}/api/v1/targets?state=active`).then((r) => r.json()).then(({ data }) => {
      const t = data.activeTargets;
      const up = (job) => t.filter((x) => x.labels.job === job && x.health === "up").length;
      const down = t.filter((x) => x.health !== "up").map((x) => `${x.labels.job} ${x.labels.instance}: ${x.health} ${x.lastError}`);
      console.log(`targets: jpki-api ${up("jpki-api")} up, jpki-worker ${up("jpki-worker")} up, others ${JSON.stringify(down)}`);
      process.exit(up("jpki-api") === 1 && up("jpki-worker") === workers && down.length === 0 ? 0 : 1);
    }, () => process.exit(1));
  ' "$prom" "$workers" >"$work/targets.txt" 2>&1; then
    ok=true
    break
  fi
  sleep 2
done
cat "$work/targets.txt"
[ "$ok" = true ] || fail 'Prometheus does not scrape every target'
# …and its own answer agrees: `up` is 1 for each of them.
node -e '
  fetch(`${process.argv[1]}/api/v1/query?query=${encodeURIComponent("count by (job) (up == 1)")}`).then((r) => r.json()).then(({ data }) => {
    const n = Object.fromEntries(data.result.map((s) => [s.metric.job, Number(s.value[1])]));
    console.log(`up == 1: ${JSON.stringify(n)}`);
    process.exit(n["jpki-api"] === 1 && n["jpki-worker"] === Number(process.argv[2]) ? 0 : 1);
  });
' "$prom" "$workers" || fail 'up == 1 is not true of every target'
lap 'Prometheus scrapes every target'
say passed
