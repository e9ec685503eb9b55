"""What the benchmarks' reports read from a nested guest's output port
(tests/vm/init-l2.sh writes each command of its plan between markers)."""
import json


def section(path, label):
    """The output of one command of the guest's plan."""
    begin, end = f"=== LEAPIO-BEGIN {label} ===", f"=== LEAPIO-END {label} rc="
    lines, on = [], False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith(end):
                break
            if on:
                lines.append(line)
            if line == begin:
                on = True
    return "\n".join(lines)


def fio_job(path, label="fio-json"):
    """The first job of fio's JSON output in that command's section; fio
    may print warnings before its JSON. Raises OSError, ValueError,
    KeyError or IndexError when there is none."""
    text = section(path, label)
    return json.loads(text[text.index("{"):])["jobs"][0]
