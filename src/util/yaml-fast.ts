// A strict fast path for the YAML that `dvc add` writes (pointer files): top-level `key: scalar` and
// `key:` followed by a list of flat mappings. Anything else — comments, quotes, nesting, floats, special
// literals — returns undefined and the full YAML parser takes over. The answer always equals that parser's.

const KEY = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const ITEM = /^- ([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const CONT = /^ {2}([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const INT = /^(?:0|[1-9][0-9]{0,14})$/;
// plain strings that YAML 1.2 core reads back as the same string: no indicator first, no ": " or " #",
// no trailing space, and not a number/bool/null look-alike
const SAFE_STR = /^[A-Za-z0-9_./][^:#\t]*$/;
const SPECIAL =
  /^(?:[-+]?[0-9._]+(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|null|Null|NULL|true|True|TRUE|false|False|FALSE|~)$/;

type Scalar = string | number | boolean | null;

function scalar(raw: string | undefined): Scalar | undefined {
  if (raw === undefined) return null;
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (INT.test(raw)) return Number(raw);
  if (raw.endsWith(" ") || !SAFE_STR.test(raw) || SPECIAL.test(raw) || raw.includes(" #")) return undefined;
  return raw;
}

export function parseSimpleYaml(text: string): Record<string, unknown> | undefined {
  if (!text.endsWith("\n") || text.includes("\r")) return undefined;
  const lines = text.slice(0, -1).split("\n");
  const out: Record<string, unknown> = {};
  let list: Array<Record<string, Scalar>> | undefined;
  let item: Record<string, Scalar> | undefined;
  for (const line of lines) {
    let m = KEY.exec(line);
    if (m) {
      const [, key, raw] = m as unknown as [string, string, string | undefined];
      if (key in out) return undefined;
      if (raw === undefined) {
        list = [];
        item = undefined;
        out[key] = list;
        continue;
      }
      const v = scalar(raw);
      if (v === undefined) return undefined;
      out[key] = v;
      list = item = undefined;
      continue;
    }
    m = ITEM.exec(line) ?? CONT.exec(line);
    if (!m || !list) return undefined;
    const [, key, raw] = m as unknown as [string, string, string | undefined];
    if (line.startsWith("- ")) list.push((item = {}));
    if (!item || key in item || raw === undefined) return undefined;
    const v = scalar(raw);
    if (v === undefined) return undefined;
    item[key] = v;
  }
  // `key:` with no list items is null in YAML
  for (const [k, v] of Object.entries(out)) if (Array.isArray(v) && v.length === 0) out[k] = null;
  return out;
}
