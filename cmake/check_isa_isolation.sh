#!/bin/sh
# Fails when machine code for a wider instruction set than the baseline escaped its ISA namespace
# in a built library: AVX code (ymm/zmm registers, VEX/EVEX instructions) may only appear in
# functions of wick::cpu::avx2 / wick::cpu::avx512, and AVX-512 code only in avx512 ones. The
# linker keeps one copy of every inline function, so a helper compiled with AVX-512 instructions
# in the avx512 kernels could otherwise end up running on an AVX2-only CPU. Functions in an
# anonymous namespace are exempt: they have internal linkage, so the linker cannot swap them for
# another translation unit's copy, and only the per-ISA translation units (kernel_avx2.cpp,
# rows_avx512.cpp, ...) are compiled with wide-ISA flags and called after the CPUID check.
# Usage: check_isa_isolation.sh path/to/libwick.so
set -eu
lib="$1"
objdump -d -C --no-show-raw-insn "$lib" | awk '
  /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
  fn == "" { next }
  {
    ins = $0
    wide = (ins ~ /%[yz]mm[0-9]/) || (ins ~ /\t(v[a-z0-9]+|k[a-z]+[bwdq])( |$)/)
    evex = (ins ~ /%zmm[0-9]/) || (ins ~ /%k[0-7]/) || (ins ~ /\tk(mov|and|or|not|xor|test|ortest|shift)[a-z]*( |$)/) || (ins ~ /\{1to[0-9]+\}/) || (ins ~ /vpternlog|vpmovm2|vpmov[a-z]*2m|vrndscale|vfixupimm|vgetexp|vgetmant|vscalef|vpermt2|vpermi2|vcompress|vexpand|vpro[lr]/)
    in512 = (fn ~ /::avx512::/)
    in2 = (fn ~ /::avx2::/)
    if (fn ~ /\(anonymous namespace\)::/) { next }
    if (wide && !in512 && !in2) { bad[fn] = "AVX instructions outside an ISA namespace" }
    else if (evex && !in512) { bad[fn] = "AVX-512 instructions outside wick::cpu::avx512" }
  }
  END {
    n = 0
    for (f in bad) { print "check_isa_isolation: " bad[f] ": " f; n++ }
    if (n > 0) { print "check_isa_isolation: " n " function(s) failed"; exit 1 }
    print "check_isa_isolation: ok"
  }'
