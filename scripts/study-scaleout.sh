#!/usr/bin/env bash
# Issue 14's scale-out tests with the real components: a planned study run by GNU parallel, and by a
# single-node Slurm (munged, slurmctld and slurmd started here with their state in a temporary folder,
# stopped at the end). `collect` must give the summary of an in-process run; a cancelled Slurm task,
# resubmitted, completes the study. A component that cannot start FAILS the run, saying why.
#   usage: scripts/study-scaleout.sh [path/to/dlntui]      (run as root: it starts the daemons)
set -uo pipefail

BIN=$(readlink -f "${1:-.build/debug/dlntui}")
WORK=$(mktemp -d /tmp/dlntui-scaleout.XXXXXX)
chmod 755 "$WORK"
PASSED=0
FAILED=0
PIDS=()

pass() { echo "PASS: $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL: $*" >&2; FAILED=$((FAILED + 1)); }
finish() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
    rm -rf "$WORK"
    echo "scale-out: $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
# Every test fails at once when a component is missing: nothing is skipped.
abort() { fail "$*"; finish; exit 1; }
trap 'finish >/dev/null 2>&1' INT TERM

[ -x "$BIN" ] || abort "no dlntui binary at $BIN (build first)"

# The deterministic part of a summary: every column but the wall-clock ones (*_s, the last).
deterministic() { awk -F, 'BEGIN { OFS = "," } { NF--; print }' "$1"; }

same_as_reference() { # DIR, what
    if cmp -s <(deterministic "$WORK/reference/summary.csv") <(deterministic "$1/summary.csv") \
        && cmp -s "$WORK/reference/quantiles.csv" "$1/quantiles.csv"; then
        pass "$2: collect gives the in-process summary.csv and quantiles.csv"
    else
        fail "$2: collected summary or quantiles differ from the in-process run"
    fi
}

cat > "$WORK/spec.toml" <<'SPEC'
# Two depths of the 2 x 2 problem (14.1), 10 members each.
preset = "two-by-two"
members = 10
seed = 21
steps = 400
every = 50
flow = "upstairs"

[grid]
N = [2, 4]
SPEC

"$BIN" sweep "$WORK/spec.toml" --output "$WORK/reference" --quiet --jobs 2 2>/dev/null \
    || abort "the in-process reference study failed"

# ---- GNU parallel -----------------------------------------------------------------------------
command -v parallel >/dev/null || abort "GNU parallel is not installed (Debian package 'parallel')"
"$BIN" sweep "$WORK/spec.toml" --output "$WORK/parallel" --plan --task-size 3 >"$WORK/plan.out" \
    || abort "--plan failed"
tasks=$(wc -l < "$WORK/parallel/tasks.txt")
[ "$tasks" -eq 7 ] && pass "plan: 20 members in tasks of 3 give T = 7 lines of tasks.txt" || fail "plan: $tasks tasks, expected 7"
grep -q "parallel -j 8 --joblog" "$WORK/plan.out" && grep -q "sbatch" "$WORK/plan.out" \
    && pass "plan prints the two ways to run it" || fail "plan did not print how to run it"
# From another folder, without dlntui on PATH: the lines are absolute.
(cd / && env PATH=/usr/bin:/bin parallel -j 2 --joblog "$WORK/parallel/joblog" < "$WORK/parallel/tasks.txt")
if [ "$(awk 'NR > 1 && $7 == 0' "$WORK/parallel/joblog" | wc -l)" -eq 7 ]; then
    pass "GNU parallel ran the 7 tasks, each exiting 0"
else
    fail "GNU parallel: not every task exited 0 (joblog: $(cat "$WORK/parallel/joblog"))"
fi
"$BIN" sweep collect "$WORK/parallel" 2>/dev/null && same_as_reference "$WORK/parallel" "GNU parallel" \
    || fail "GNU parallel: collect exited non-zero"

# ---- Slurm ------------------------------------------------------------------------------------
for tool in munged slurmctld slurmd sbatch squeue scancel scontrol sinfo; do
    command -v "$tool" >/dev/null || abort "$tool is not installed (Debian packages 'slurm-wlm' and 'munge')"
done
[ "$(id -u)" -eq 0 ] || abort "starting munged and slurmd needs root"
M="$WORK/munge"; S="$WORK/slurm"
mkdir -p "$M" "$S/spool" "$S/state"
chown munge:munge "$M"; chmod 755 "$M"
dd if=/dev/urandom of="$M/munge.key" bs=1 count=128 status=none
chown munge:munge "$M/munge.key"; chmod 400 "$M/munge.key"
runuser -u munge -- munged --key-file="$M/munge.key" --socket="$M/munge.socket" --pid-file="$M/munged.pid" \
    --log-file="$M/munged.log" --seed-file="$M/munged.seed" 2>"$M/start.err" \
    || abort "munged did not start: $(cat "$M/start.err" "$M/munged.log" 2>/dev/null | tail -3)"
PIDS+=("$(cat "$M/munged.pid")")
chmod 755 "$M"

HOST=$(hostname -s)
NODE=$(slurmd -C | head -1)
cat > "$S/slurm.conf" <<CONF
ClusterName=dlntuitest
SlurmctldHost=$HOST
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$M/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
$NODE State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$S/slurm.conf"
slurmctld -i 2>"$S/ctld.err" || abort "slurmctld did not start: $(tail -3 "$S/ctld.err" "$S/slurmctld.log" 2>/dev/null)"
for _ in $(seq 50); do [ -s "$S/slurmctld.pid" ] && break; sleep 0.1; done
PIDS+=("$(cat "$S/slurmctld.pid" 2>/dev/null)")
slurmd 2>"$S/d.err" || abort "slurmd did not start: $(tail -3 "$S/d.err" "$S/slurmd.log" 2>/dev/null)"
for _ in $(seq 50); do [ -s "$S/slurmd.pid" ] && break; sleep 0.1; done
PIDS+=("$(cat "$S/slurmd.pid" 2>/dev/null)")
idle=""
for _ in $(seq 60); do
    idle=$(sinfo -h -N -o "%T" 2>/dev/null | head -1)
    [ "$idle" = "idle" ] && break
    sleep 0.5
done
[ "$idle" = "idle" ] || abort "the Slurm node is not idle after 30 s (state '$idle'): $(tail -3 "$S/slurmctld.log" "$S/slurmd.log" 2>/dev/null)"
pass "a single-node Slurm is up (node $HOST idle)"

"$BIN" sweep "$WORK/spec.toml" --output "$WORK/sbatch" --plan --task-size 3 >/dev/null || abort "--plan failed"
grep -q '^#SBATCH --array=0-6%' "$WORK/sbatch/study.sbatch" && grep -q '^#SBATCH --requeue' "$WORK/sbatch/study.sbatch" \
    && grep -q '^#SBATCH --cpus-per-task=1' "$WORK/sbatch/study.sbatch" && ! grep -qE -- '--(partition|account|time|mem)' "$WORK/sbatch/study.sbatch" \
    && pass "study.sbatch: an array of 7, --requeue, one CPU, no partition/account/time/memory" \
    || fail "study.sbatch lacks what it should have: $(cat "$WORK/sbatch/study.sbatch")"
(cd / && timeout 300 sbatch --wait "$WORK/sbatch/study.sbatch" >"$WORK/sbatch.out" 2>&1) \
    && pass "sbatch --wait ran the array" || fail "sbatch --wait failed: $(cat "$WORK/sbatch.out")"
job=$(grep -o '[0-9]\+' "$WORK/sbatch.out" | head -1)
logs=$(ls "$WORK/sbatch/logs" | grep -c "^dlntui-study_${job}_[0-6]\.out$")
[ "$logs" -eq 7 ] && pass "logs named %x_%A_%a, one per task" || fail "logs: $(ls "$WORK/sbatch/logs")"
"$BIN" sweep collect "$WORK/sbatch" 2>/dev/null && same_as_reference "$WORK/sbatch" "Slurm" || fail "Slurm: collect exited non-zero"

# One task cancelled before it ran: collect names it and exits non-zero; resubmitted, it completes the study.
"$BIN" sweep "$WORK/spec.toml" --output "$WORK/cancel" --plan --task-size 3 >/dev/null || abort "--plan failed"
job=$(cd / && sbatch --parsable --hold "$WORK/cancel/study.sbatch")
scancel "${job}_4"
scontrol release "$job"
for _ in $(seq 300); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 0.5; done
"$BIN" sweep collect "$WORK/cancel" 2>"$WORK/collect.err"
status=$?
if [ "$status" -ne 0 ] && grep -q -- "--task 4 " "$WORK/collect.err" && [ "$(grep -c -- '--task ' "$WORK/collect.err")" -eq 1 ]; then
    pass "collect lists the cancelled task with its command and exits $status"
else
    fail "collect after a cancelled task: status $status, $(cat "$WORK/collect.err")"
fi
(cd / && timeout 300 sbatch --wait --array=4 "$WORK/cancel/study.sbatch" >/dev/null 2>&1) || fail "resubmitting task 4 failed"
"$BIN" sweep collect "$WORK/cancel" 2>/dev/null && same_as_reference "$WORK/cancel" "Slurm, task cancelled and resubmitted" \
    || fail "collect after resubmitting exited non-zero"

finish
