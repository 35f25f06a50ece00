// TOML params files through smol-toml (the only importer of `smol-toml`, loaded on first use), mapped to the
// values DVC's tomlkit gives: ints stay ints (bigint past 2^53, exact), floats become PyFloat with `keepFloats`
// (so `1.0` stays `1.0` in dvc.lock), dates and times become the text Python's str() gives them.
// smol-toml follows TOML 1.1, so it also accepts the few 1.1 additions (trailing commas and newlines in inline
// tables, `\e`, `\xHH`, times without seconds) that tomlkit (TOML 1.0) rejects.
import { createRequire } from "node:module";
import type * as SmolToml from "smol-toml";
import { PyFloat } from "../util/py-float.js";

let smol: typeof SmolToml | undefined;
const toml = (): typeof SmolToml => (smol ??= createRequire(import.meta.url)("smol-toml") as typeof SmolToml);

export class TomlError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    reason: string,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

type Table = Record<string, unknown>;

/** With `keepFloats`, floats come back as PyFloat (so `1.0` stays a float), as parseYaml does. */
export function parseToml(text: string, opts: { keepFloats?: boolean } = {}): Table {
  let doc: Table;
  try {
    doc = toml().parse(text, { integersAsBigInt: true });
  } catch (err) {
    if (!(err instanceof toml().TomlError)) throw err;
    const reason = (err.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "");
    throw new TomlError(err.line, err.column, reason || "invalid TOML");
  }
  return convert(doc, opts.keepFloats === true) as Table;
}

function convert(v: unknown, keepFloats: boolean): unknown {
  if (typeof v === "bigint") return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
  if (typeof v === "number") return keepFloats ? new PyFloat(v) : v; // integers are bigints: a number is a float
  if (Array.isArray(v)) return v.map((x) => convert(x, keepFloats));
  if (v instanceof toml().TomlDate) return pyDateText(v);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x, keepFloats)]));
  return v;
}

/**
 * str() of the date, datetime or time tomlkit returns: `1979-05-27`, `1979-05-27 07:32:00+00:00`, `07:32:00.500000`
 * (smol-toml keeps milliseconds: finer fractions are cut to them).
 */
function pyDateText(d: SmolToml.TomlDate): string {
  const iso = d.toISOString(); // e.g. 1979-05-27T07:32:00.000-08:00, 1979-05-27, 07:32:00.000
  const m = /^(?:(\d{4}-\d{2}-\d{2})T?)?(?:(\d{2}:\d{2}:\d{2})\.(\d{3}))?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!m) return iso;
  const [, date, time, ms, offset] = m;
  const clock = time === undefined ? undefined : ms === "000" ? time : `${time}.${ms}000`;
  const zone = offset === "Z" ? "+00:00" : (offset ?? "");
  return [date, clock === undefined ? undefined : clock + zone].filter((x) => x !== undefined).join(" ");
}

/** A whole TOML document for `data` (ints stay ints, PyFloat and other numbers are floats). */
export function stringifyToml(data: Table): string {
  const prep = (v: unknown): unknown => {
    if (v instanceof PyFloat) return v.value;
    if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
    if (Array.isArray(v)) return v.map(prep);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v as Table).map(([k, x]) => [k, prep(x)]));
    return v;
  };
  return toml().stringify(prep(data) as Table, { numbersAsFloat: true });
}
