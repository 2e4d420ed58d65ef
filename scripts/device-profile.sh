#!/usr/bin/env bash
# Runs ON THE GPU MACHINE after scripts/device-check.sh has built and unpacked (it calls this when
# WICK_PROFILE=1): Nsight Compute times every kernel of chosen GPU-bench sections (one metric,
# gpu__time_duration, clocks left alone) and prints, per section, the kernels by total time, so the
# per-layer rows of the bench table can be traced to kernels. Usage: device-profile.sh RUN_DIR LOG_DIR
# Environment: WICK_PROFILE_SECTIONS (default "cnn-layers conv"), WICK_PROFILE_ITERS (default 2).
set -u -o pipefail
RUN=$1
LOGS=$2
NCU=$(command -v ncu || ls /usr/local/cuda/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
if [[ -z "$NCU" ]]; then echo "device-profile: ncu not found"; exit 0; fi
for section in ${WICK_PROFILE_SECTIONS:-cnn-layers conv}; do
    csv="$LOGS/ncu-$section.csv"
    (cd "$RUN/runner" && timeout 240 "$NCU" --clock-control none --metrics gpu__time_duration.sum --csv --page raw \
        --print-kernel-base function ./Wick.Bench.Cuda --only "$section" --iters "${WICK_PROFILE_ITERS:-2}") \
        >"$csv" 2>"$LOGS/ncu-$section.err"
    echo "--- kernels of bench section '$section' (ncu exit $?), by total time"
    python3 - "$csv" <<'PY'
import csv, sys, collections
rows = list(csv.reader(l for l in open(sys.argv[1]) if l.startswith('"')))
head = next((r for r in rows if "Kernel Name" in r), None)
if head is None:
    print("no kernel rows"); sys.exit(0)
name, t = head.index("Kernel Name"), next(i for i, h in enumerate(head) if h.startswith("gpu__time_duration"))
total, count = collections.Counter(), collections.Counter()
for r in rows[rows.index(head) + 1:]:
    try: v = float(r[t].replace(",", ""))
    except (ValueError, IndexError): continue
    total[r[name]] += v; count[r[name]] += 1
unit = "ns"
print(f"{'kernel':60} {'launches':>8} {'total us':>10} {'mean us':>9}")
for k, v in total.most_common(25):
    print(f"{k[:60]:60} {count[k]:8d} {v / 1e3:10.1f} {v / 1e3 / count[k]:9.2f}")
PY
done
