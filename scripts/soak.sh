#!/usr/bin/env bash
# make soak: the long runs of issues 4 and 7, with their figures printed.
#  1. 10^7 headless steps at d = 4: memory constant, output streamed (RSS sampled every second).
#  2. 10^6 headless steps at d = 8: peak RSS (issue 7 asks for at most 64 MB).
#  3. SOAK_MINUTES (default 10) of the live interface at 30 fps in tmux: RSS flat within 5 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/dlntui}
MINUTES=${SOAK_MINUTES:-10}
work=$(mktemp -d)
trap 'tmux -L dlntui-soak kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

sample_until_exit() {  # pid -> prints "min max last" RSS in kB, sampling every second
    local pid=$1 min=0 max=0 last=0 r h
    sleep 2  # past start-up: libraries mapped, workspaces allocated
    while kill -0 "$pid" 2>/dev/null; do
        r=$(rss_kb "$pid")
        h=$(hwm_kb "$pid")
        [ "${h:-0}" -gt "$max" ] && max=$h
        if [ "$r" -gt 0 ]; then
            last=$r
            [ "$min" -eq 0 ] || [ "$r" -lt "$min" ] && min=$r
            [ "$r" -gt "$max" ] && max=$r
        fi
        sleep 1
    done
    echo "$min $max $last"
}

echo "== 1. 10^7 headless steps, d = 4, upstairs"
start=$(date +%s)
"$BIN" run -d 4 -N 3 --target-rank 2 --steps 10000000 --every 1000 --dt 0.01 --output "$work/long.csv" &
pid=$!
read -r min max last < <(sample_until_exit "$pid")
wait "$pid"
end=$(date +%s)
rows=$(($(wc -l < "$work/long.csv") - 1))
echo "rows=$rows seconds=$((end - start)) rss_min_kb=$min rss_max_kb=$max rss_last_kb=$last spread_kb=$((max - min))"

echo "== 2. 10^6 headless steps, d = 8: peak RSS"
"$BIN" run -d 8 --target-rank 2 --steps 1000000 --every 1000 --output "$work/mid.csv" &
pid=$!
read -r min max last < <(sample_until_exit "$pid")
wait "$pid"
echo "peak_rss_kb=$max (high-water mark, sampled every second)"

echo "== 3. live interface for $MINUTES minutes at 30 fps (tmux 120x40)"
tmux -L dlntui-soak new-session -d -x 120 -y 40 -e LANG=C.UTF-8 "$BIN --seed 1 --fps 30"
sleep 3
pid=$(pgrep -n -f "$BIN --seed 1 --fps 30")
first=$(rss_kb "$pid"); min=$first; max=$first
end=$(( $(date +%s) + MINUTES * 60 ))
while [ "$(date +%s)" -lt "$end" ]; do
    sleep 10
    r=$(rss_kb "$pid")
    [ "$r" -lt "$min" ] && min=$r
    [ "$r" -gt "$max" ] && max=$r
done
last=$(rss_kb "$pid")
tmux -L dlntui-soak send-keys q
sleep 1
echo "rss_first_kb=$first rss_last_kb=$last rss_min_kb=$min rss_max_kb=$max spread_kb=$((max - min))"
