"""Sets Wick's GPU numbers beside PyTorch's from the same run and prints the table (last), with the
issue's targets: elementwise add and sum at >= 85% of the device-to-device copy bandwidth measured
in the same run, softmax and layer_norm at >= 80%, matmul within 5% of torch.matmul, training steps
at most 1.1x PyTorch's time. Writes the benchmark JSON of the repository's
format ({"case","unit","wick","peer","peer_value","higher_is_better"}).
Usage: python3 report.py wick.json torch.json out.json"""
import json
import sys


def main():
    wick = json.load(open(sys.argv[1]))
    torch = json.load(open(sys.argv[2]))
    peer = {r["case"]: r for r in torch["results"]}
    mine = {r["case"]: r for r in wick["results"]}
    copy_case = next((c for c in mine if c.startswith("copy")), None)
    copy_bw = mine[copy_case]["value"] if copy_case else None
    torch_copy = peer.get(copy_case, {}).get("value") if copy_case else None
    rows, out = [], []
    for case, r in mine.items():
        p = peer.get(case)
        ratio = r["value"] / p["value"] if p else float("nan")
        note = ""
        if copy_bw and (case.startswith("add") or case.startswith("sum")):
            share = r["value"] / copy_bw
            note = f"{100 * share:.0f}% of copy BW (target 85%): {'ok' if share >= 0.85 else 'MISS'}"
            if torch_copy and p:
                note += f"; torch {100 * p['value'] / torch_copy:.0f}%"
        elif case.startswith("matmul") and p:
            note = f"target >= 0.95x torch: {'ok' if ratio >= 0.95 else 'MISS'}"
        elif copy_bw and (case.startswith("softmax") or case.startswith("layer_norm")):
            share = r["value"] / copy_bw
            note = f"{100 * share:.0f}% of copy BW (target 80%): {'ok' if share >= 0.80 else 'MISS'}"
        elif case.startswith("cnn b") and p:
            # One layer of the CNN step alone (where the step's time goes): Wick's time over PyTorch's.
            note = f"{r['ms']:.3f} ms vs {p['ms']:.3f} ms"
        elif "train step" in case and p:
            # steps/s: at most 1.1x PyTorch's time is at least 1 / 1.1 of its rate.
            note = f"target time <= 1.1x torch: {'ok' if ratio >= 1 / 1.1 else 'MISS'}"
        rows.append((case, r["unit"], r["value"], p["value"] if p else float("nan"), ratio, note))
        out.append({"case": case, "unit": r["unit"], "wick": r["value"], "peer": "torch " + torch.get("torch", "?"),
                    "peer_value": p["value"] if p else None, "higher_is_better": True})
    json.dump(out, open(sys.argv[3], "w"), indent=1)
    print(f"\nWick vs PyTorch {torch.get('torch', '?')} on {wick['device']} (same run; medians of CUDA-event timings)")
    print(f"{'case':<40} {'unit':<8} {'wick':>9} {'torch':>9} {'ratio':>6}  notes")
    for case, unit, w, t, ratio, note in rows:
        print(f"{case:<40} {unit:<8} {w:9.1f} {t:9.1f} {ratio:6.2f}  {note}")


if __name__ == "__main__":
    main()
