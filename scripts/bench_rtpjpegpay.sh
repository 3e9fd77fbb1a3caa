#!/usr/bin/env bash
# GStreamer's payloader on the frames the JMH CodecBenchmark measures, for the ratio in the README:
#   scripts/bench_rtpjpegpay.sh [frames] [runs]      (after mvn -B -DskipTests package)
# Runs "multifilesrc ! jpegparse ! rtpjpegpay ! fakesink" and the same without rtpjpegpay, and prints frames/s of
# the pipeline and of rtpjpegpay alone (the difference of the two pipelines' times), by wall time and by CPU time.
# Each pipeline runs [runs] times (default 3) and the fastest counts. On a loaded machine the wall times measure the
# other processes too, and the difference of two single runs can be off by more than rtpjpegpay's own time; the CPU
# time (user + system of the one streaming thread) is steadier and never slower, so a ratio against it is the
# conservative one.
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-3000}
runs=${2:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
java -cp benchmarks/target/benchmarks.jar dev.mjpegrtp.benchmarks.BenchmarkFrames "$dir" >/dev/null

times() { # pipeline tail -> "wall cpu" seconds for $frames frames, each the smallest of $runs runs
  local run all=
  for ((run = 0; run < runs; run++)); do
    all+=$(/usr/bin/time -f '%e %U %S' gst-launch-1.0 -q multifilesrc location="$dir/$file" loop=true \
        num-buffers="$frames" caps="image/jpeg,framerate=30/1" ! jpegparse ! "$@" fakesink sync=false 2>&1)$'\n'
  done
  printf '%s' "$all" | awk 'NR == 1 || $1 < wall { wall = $1 } NR == 1 || $2 + $3 < cpu { cpu = $2 + $3 }
      END { print wall, cpu }'
}

rate() { # seconds... -> frames/s
  echo "$frames / ($*)" | bc -l
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for file in baseline.jpg restart.jpg; do
  read -r with_wall with_cpu < <(times rtpjpegpay mtu=1400 !)
  read -r without_wall without_cpu < <(times)
  printf '%-12s wall: pipeline %6.0f frames/s, rtpjpegpay alone %6.0f frames/s; cpu: pipeline %6.0f frames/s, rtpjpegpay alone %6.0f frames/s\n' \
      "$file" "$(rate "$with_wall")" "$(rate "$with_wall - $without_wall")" \
      "$(rate "$with_cpu")" "$(rate "$with_cpu - $without_cpu")"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
