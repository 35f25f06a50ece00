// `-S/--set-param [file:]key=value` as DVC reads it (to_path_overrides, then Hydra's basic override grammar):
// `key=value` changes a key, `+key=value` adds one, `++key=value` adds or changes, `~key` (or `~key=value`) deletes
// one. Values: null, true/false, ints, floats (1e-3, inf, nan), quoted or unquoted strings, [lists] and
// {dicts} of those; `a,b`, choice(…) and range(…) are sweeps (the queue expands them; a single run refuses them).
import { PyFloat } from "../util/py-float.js";
import { ParamOverrideError } from "./errors.js";

export const DEFAULT_PARAMS_FILE = "params.yaml";

export type OverrideKind = "set" | "add" | "force-add" | "delete";

export interface ParamOverride {
  /** The whole argument as typed. */
  arg: string;
  /** The override after the file prefix ("+train.lr=0.1"). */
  text: string;
  /** The params file as given (relative to the working directory); params.yaml when none. */
  file: string;
  kind: OverrideKind;
  /** Dotted key split into its parts ("train.lr" → ["train", "lr"]). */
  key: string[];
  /** The parsed value; undefined for `~key` without a value. */
  value?: unknown;
  /** Set for a sweep (`a,b`, choice(a,b), range(1,4)): every value it stands for; `value` is then the first. */
  sweep?: unknown[];
}

/** Splits and parses one -S argument; throws ParamOverrideError for anything malformed. */
export function parseSetParam(arg: string): ParamOverride {
  // DVC: a file prefix only when ':' comes before the first '='
  const eq = arg.indexOf("=");
  const head = eq === -1 ? arg : arg.slice(0, eq);
  const colon = head.indexOf(":");
  const file = colon === -1 ? DEFAULT_PARAMS_FILE : arg.slice(0, colon);
  const override = colon === -1 ? arg : arg.slice(colon + 1);
  if (file === "") throw new ParamOverrideError(arg, "the file before ':' is empty");
  let rest = override;
  let kind: OverrideKind = "set";
  if (rest.startsWith("++")) [kind, rest] = ["force-add", rest.slice(2)];
  else if (rest.startsWith("+")) [kind, rest] = ["add", rest.slice(1)];
  else if (rest.startsWith("~")) [kind, rest] = ["delete", rest.slice(1)];
  const at = rest.indexOf("=");
  const keyText = (at === -1 ? rest : rest.slice(0, at)).trim();
  if (at === -1 && kind !== "delete") throw new ParamOverrideError(arg, "it has no '=value'");
  const key = keyText.split(".");
  if (keyText === "" || key.some((k) => k === "" || /\s/.test(k)))
    throw new ParamOverrideError(arg, `'${keyText}' is not a key path (a.b.c)`);
  const out: ParamOverride = { arg, text: override, file, kind, key };
  if (at === -1) return out;
  const parsed = parseOverrideValue(rest.slice(at + 1), arg);
  out.value = parsed.value;
  if (parsed.sweep) {
    if (kind === "delete") throw new ParamOverrideError(arg, "a deletion cannot sweep over values");
    out.sweep = parsed.sweep;
  }
  return out;
}

/** The value part of an override: one value, or a sweep over several. */
export function parseOverrideValue(text: string, arg = text): { value: unknown; sweep?: unknown[] } {
  const p = new ValueParser(text, arg);
  return p.top();
}

const INT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
const DIGITS = "[0-9](?:_?[0-9])*";
const FLOAT = new RegExp(
  `^[+-]?(?:(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.)(?:[eE][+-]?${DIGITS})?|${DIGITS}[eE][+-]?${DIGITS}|inf|nan)$`,
  "i",
);
/** Characters a backslash escapes in an unquoted value (Hydra's ESC); other backslashes stay. */
const ESCAPABLE = "()[]{}:=, \t\\";
const SWEEP_FUNCTIONS = new Set(["choice", "range"]);
const OTHER_FUNCTIONS = new Set([
  "interval",
  "glob",
  "tag",
  "sort",
  "shuffle",
  "int",
  "float",
  "str",
  "bool",
  "json_str",
]);

/** The Python value of an unquoted primitive, as Hydra types it. */
function primitive(raw: string): unknown {
  const t = raw.trim();
  if (/^null$/i.test(t)) return null;
  if (/^true$/i.test(t)) return true;
  if (/^false$/i.test(t)) return false;
  if (INT.test(t)) {
    const n = BigInt(t.replace(/_/g, ""));
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (FLOAT.test(t)) {
    const lower = t.toLowerCase().replace(/_/g, "");
    const sign = lower.startsWith("-") ? -1 : 1;
    const body = lower.replace(/^[+-]/, "");
    const v = body === "inf" ? sign * Infinity : body === "nan" ? NaN : Number(lower);
    return new PyFloat(v);
  }
  return t;
}

class ValueParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly arg: string,
  ) {}

  private fail(reason: string): never {
    throw new ParamOverrideError(this.arg, reason);
  }

  private ws(): void {
    while (this.i < this.s.length && (this.s[this.i] === " " || this.s[this.i] === "\t")) this.i++;
  }

  top(): { value: unknown; sweep?: unknown[] } {
    this.ws();
    if (this.i >= this.s.length) return { value: "" }; // `key=` is the empty string
    const fn = /^([A-Za-z_]+)\s*\(/.exec(this.s.slice(this.i));
    if (fn && (SWEEP_FUNCTIONS.has(fn[1]!) || OTHER_FUNCTIONS.has(fn[1]!))) {
      const name = fn[1]!;
      if (!SWEEP_FUNCTIONS.has(name)) this.fail(`the function ${name}() is not supported`);
      this.i += fn[0].length;
      const args = this.list(")");
      this.end();
      const sweep = name === "choice" ? args : rangeValues(args, (r) => this.fail(r));
      if (sweep.length === 0) this.fail(`${name}() gives no values`);
      return { value: sweep[0], sweep };
    }
    const first = this.element(true);
    this.ws();
    if (this.i >= this.s.length) return { value: first };
    const sweep = [first];
    while (this.s[this.i] === ",") {
      this.i++;
      sweep.push(this.element(true));
      this.ws();
    }
    this.end();
    return { value: first, sweep };
  }

  private end(): void {
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected '${this.s[this.i]}' at position ${this.i + 1} of the value`);
  }

  /** One value; `top`: a bare primitive may hold ':' and ends only at ',' (or the end). */
  private element(top: boolean): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === "[") {
      this.i++;
      return this.list("]");
    }
    if (c === "{") {
      this.i++;
      return this.dict();
    }
    if (c === "'" || c === '"') {
      const v = this.quoted();
      this.ws();
      const next = this.s[this.i];
      if (next !== undefined && !",]}".includes(next)) this.fail("text follows a quoted string");
      return v;
    }
    return this.bare(top ? "," : ",]}");
  }

  private bare(stops: string): unknown {
    let raw = "";
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === "\\" && ESCAPABLE.includes(this.s[this.i + 1] ?? "x")) {
        raw += this.s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (c === "$" && this.s[this.i + 1] === "{") depth++;
      else if (c === "}" && depth > 0) depth--;
      else if (depth === 0 && stops.includes(c)) break;
      else if (depth === 0 && "[]{}'\"()".includes(c)) this.fail(`unexpected '${c}' in the value (quote it)`);
      raw += c;
      this.i++;
    }
    if (depth > 0) this.fail("an interpolation ${…} is not closed");
    if (raw.trim() === "") this.fail("a value is missing");
    return primitive(raw);
  }

  private quoted(): string {
    const q = this.s[this.i]!;
    let out = "";
    for (this.i++; this.i < this.s.length; this.i++) {
      const c = this.s[this.i]!;
      if (c === "\\" && (this.s[this.i + 1] === q || this.s[this.i + 1] === "\\")) {
        out += this.s[++this.i];
        continue;
      }
      if (c === q) {
        this.i++;
        return out;
      }
      out += c;
    }
    return this.fail(`a ${q === "'" ? "single" : "double"}-quoted string is not closed`);
  }

  private list(close: "]" | ")"): unknown[] {
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.i] === close) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(close === "]" ? this.element(false) : this.callArg());
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ",") continue;
      if (c === close) return out;
      this.fail(c === undefined ? `'${close === "]" ? "[" : "("}' is not closed` : `expected ',' or '${close}'`);
    }
  }

  private callArg(): unknown {
    this.ws();
    const named = /^[A-Za-z_]+\s*=/.exec(this.s.slice(this.i));
    if (named) this.fail("named arguments in sweeps are not supported");
    const c = this.s[this.i];
    if (c === "[" || c === "{" || c === "'" || c === '"') return this.element(false);
    return this.bare(",)");
  }

  private dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      let key: string;
      if (this.s[this.i] === "'" || this.s[this.i] === '"') key = this.quoted();
      else {
        const m = /^[^:,{}[\]'"]*/.exec(this.s.slice(this.i))![0];
        key = m.trim();
        this.i += m.length;
      }
      this.ws();
      if (key === "" || this.s[this.i] !== ":") this.fail("a dict entry must be written key: value");
      this.i++;
      out[key] = this.element(false);
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ",") continue;
      if (c === "}") return out;
      this.fail(c === undefined ? "'{' is not closed" : "expected ',' or '}'");
    }
  }
}

/** Python's range(start, stop[, step]) over ints (or floats, as Hydra allows). */
function rangeValues(args: unknown[], fail: (reason: string) => never): unknown[] {
  const nums = args.map((a) => (a instanceof PyFloat ? a.value : a));
  if (nums.length < 1 || nums.length > 3 || nums.some((n) => typeof n !== "number"))
    fail("range() takes 1 to 3 numbers");
  const [a, b, step] = (nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1]) as number[];
  if (step === 0) fail("range() step must not be zero");
  const floats = args.some((x) => x instanceof PyFloat);
  const out: unknown[] = [];
  for (let v = a!; step! > 0 ? v < b! : v > b!; v += step!) {
    out.push(floats ? new PyFloat(v) : v);
    if (out.length > 10_000) fail("range() gives more than 10000 values");
  }
  return out;
}
