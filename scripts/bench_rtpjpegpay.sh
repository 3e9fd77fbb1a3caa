#!/usr/bin/env bash
# GStreamer's payloader on the frames the JMH CodecBenchmark measures, for the ratio in docs/benchmarks.md:
#   scripts/bench_rtpjpegpay.sh [frames] [runs]      (after mvn -B -DskipTests package)
# Runs "multifilesrc ! jpegparse ! rtpjpegpay ! fakesink" and the same without rtpjpegpay, and prints frames/s of
# the pipeline and of rtpjpegpay alone (the difference of the two pipelines' times), by wall time and by CPU time.
# Right after, it times our sender on the same file the same way (SenderTiming: parse, cut, write every packet, as
# the JMH parseAndPacketize) and prints the ratio to rtpjpegpay alone. Each run is [frames] frames (default 3000),
# each measurement the fastest of [runs] runs (default 5): on a loaded machine the slower runs measure the other
# processes, and the difference of two single runs can be off by more than rtpjpegpay's own time. CPU time (user +
# system; each pipeline has one busy streaming thread) is steadier than wall time under load.
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-3000}
runs=${2:-5}
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
  read -r ours_wall ours_cpu < <(java -cp benchmarks/target/benchmarks.jar dev.mjpegrtp.benchmarks.SenderTiming \
      "$dir/$file" "$frames" "$runs")
  for measure in wall cpu; do
    with=with_$measure; without=without_$measure; ours=ours_$measure
    alone=$(rate "${!with} - ${!without}")
    printf '%-12s %s: pipeline %6.0f frames/s, rtpjpegpay alone %6.0f frames/s, our sender %6.0f frames/s = %5.1fx\n' \
        "$file" "$measure" "$(rate "${!with}")" "$alone" "$(rate "${!ours}")" "$(echo "$(rate "${!ours}") / $alone" | bc -l)"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
