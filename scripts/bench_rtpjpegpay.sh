#!/usr/bin/env bash
# GStreamer's payloader on the frames the JMH CodecBenchmark measures, for the ratio in the README:
#   scripts/bench_rtpjpegpay.sh [frames]      (after mvn -B -DskipTests package)
# Runs "multifilesrc ! jpegparse ! rtpjpegpay ! fakesink" and the same without rtpjpegpay, and prints frames/s of
# the pipeline and of rtpjpegpay alone (the difference of the two runs' times).
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-3000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
java -cp benchmarks/target/benchmarks.jar dev.mjpegrtp.benchmarks.BenchmarkFrames "$dir" >/dev/null

seconds() { # pipeline tail -> wall seconds for $frames frames
  local start end
  start=$(date +%s.%N)
  gst-launch-1.0 -q multifilesrc location="$dir/$file" loop=true num-buffers="$frames" \
      caps="image/jpeg,framerate=30/1" ! jpegparse ! "$@" fakesink sync=false
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

for file in baseline.jpg restart.jpg; do
  with=$(seconds rtpjpegpay mtu=1400 !)
  without=$(seconds)
  printf '%-12s pipeline with rtpjpegpay %7.0f frames/s; rtpjpegpay alone %7.0f frames/s\n' "$file" \
      "$(echo "$frames / $with" | bc -l)" "$(echo "$frames / ($with - $without)" | bc -l)"
done
