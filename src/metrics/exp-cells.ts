// Cell texts of DVC's experiment tables (dvc/compare.py _format_field with round_digits=False, and
// experiments/show.py format_time): floats with Python's ".<precision>g" (significant digits, not decimals),
// containers as Python's str() of their formatted items, times in local time.
import { pyStr } from "../pipeline/py-str.js";
import { PyFloat } from "../util/py-float.js";
import { pyFormatG } from "../util/py-format-g.js";
import { isMapping } from "./flatten.js";
import { isFloat } from "./values.js";

/** str(_format_field(value, precision)): a float becomes its ".Ng" text when a precision is given. */
export function expCell(value: unknown, precision?: number): string {
  if (typeof value === "string") return value;
  if (precision && isFloat(value)) return pyFormatG(value instanceof PyFloat ? value.value : value, precision);
  if (!Array.isArray(value) && !isMapping(value)) return pyStr(value);
  const fmt = (v: unknown): unknown => {
    if (isFloat(v) && precision) return pyFormatG(v instanceof PyFloat ? v.value : v, precision);
    if (Array.isArray(v)) return v.map(fmt);
    if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fmt(x)]));
    return v;
  };
  return pyStr(fmt(value));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number): string => String(n).padStart(2, "0");

/** Python's datetime.fromtimestamp(t).isoformat() (local time, no zone, whole seconds). */
export function isoLocal(seconds: number): string {
  const d = new Date(seconds * 1000);
  const date = `${String(d.getFullYear()).padStart(4, "0")}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${date}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** DVC's format_time: "-" (fill) without a time, ISO for CSV, "%I:%M %p" today, else "%b %d, %Y". */
export function createdCell(seconds: number | null, o: { fill: string; iso: boolean; now: Date }): string {
  if (seconds === null) return o.fill;
  if (o.iso) return isoLocal(seconds);
  const d = new Date(seconds * 1000);
  const today =
    d.getFullYear() === o.now.getFullYear() && d.getMonth() === o.now.getMonth() && d.getDate() === o.now.getDate();
  if (!today) return `${MONTHS[d.getMonth()]} ${two(d.getDate())}, ${d.getFullYear()}`;
  const h = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  return `${two(h)}:${two(d.getMinutes())} ${d.getHours() < 12 ? "AM" : "PM"}`;
}
