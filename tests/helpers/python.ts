// Runs a python3 snippet (JSON in on stdin, JSON out on stdout) and puts parsed values in one tagged form on
// both sides, so that Python's int/float/str distinctions can be compared with ours.
import { execFileSync } from "node:child_process";
import { PyFloat, pyFloatRepr } from "../../src/util/py-float.js";

export const runPython = (script: string, input: unknown): unknown =>
  JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" }));

/** Python side of `tagged` (prepend to a snippet): ints and floats become {"int": text} / {"float": repr}. */
export const PY_TAG = `
import datetime
def tag(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [tag(x) for x in v]
    if isinstance(v, dict):
        return {str(k): tag(x) for k, x in v.items()}
    return {"other": repr(v)}
`;

/** Our values in the form PY_TAG gives Python's: numbers are ints unless PyFloat. */
export function tagged(v: unknown): unknown {
  if (v instanceof PyFloat) return { float: pyFloatRepr(v.value) };
  if (typeof v === "bigint") return { int: v.toString() };
  if (typeof v === "number") return Number.isInteger(v) ? { int: String(v) } : { float: pyFloatRepr(v) };
  if (Array.isArray(v)) return v.map(tagged);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tagged(x)]));
  return v;
}
