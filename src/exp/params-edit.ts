// Rewrites a params file's text so that it holds new data, keeping its formatting: YAML through the in-place
// updater DVC's ruamel round trip is matched by (util/yaml.ts), JSON, TOML and Python by editing only the changed
// values (json-edit, toml-edit, python-edit). Every result is parsed again and must give exactly the new data;
// when an edit cannot be made in place, JSON and TOML files are written whole in their style, Python files refuse.
import { paramsSuffixForEdit } from "./params-format.js";
import { parseParamsFile } from "../pipeline/params-file.js";
import { stringifyToml } from "../pipeline/toml.js";
import { dumpYaml } from "../util/yaml-dump.js";
import { pyEquals, updateYamlText } from "../util/yaml.js";
import { dumpJsonLike, editJson } from "./json-edit.js";
import { editPython } from "./python-edit.js";
import { diffParams, valueAt, type Change } from "./params-diff.js";
import { editToml } from "./toml-edit.js";

type Data = Record<string, unknown>;

/** The new data cannot be written into this file (the reason is for the user). */
export class ParamsEditError extends Error {}
type Editor = (text: string, change: Change) => string | null;

/** Applies one change, widening it to the enclosing value (set whole) until the editor can place it. */
function applyChange(text: string, change: Change, next: Data, edit: Editor): string | null {
  let c: Change = change;
  for (;;) {
    const out = edit(text, c);
    if (out !== null) return out;
    if (c.path.length <= 1) return null;
    const parent = c.path.slice(0, -1);
    c = { op: "set", path: parent, value: valueAt(next, parent) };
  }
}

function editAll(text: string, old: Data, next: Data, edit: Editor): string | null {
  let out = text;
  for (const change of diffParams(old, next)) {
    const r = applyChange(out, change, next, edit);
    if (r === null) return null;
    out = r;
  }
  return out;
}

const holds = (text: string, file: string, next: Data): boolean => {
  try {
    return pyEquals(parseParamsFile(text, file, { keepFloats: true }), next);
  } catch {
    return false;
  }
};

/**
 * The new text of params file `file` (`old`: its text, `oldData`: what it parses to with keepFloats) holding
 * `next`; throws ParamsEditError when the file cannot hold it (or a Python file cannot be edited in place).
 */
export function rewriteParamsText(file: string, old: string, oldData: Data, next: Data): string {
  const kind = paramsSuffixForEdit(file);
  if (kind === null) throw new ParamsEditError("dvx cannot edit this kind of params file");
  if (kind === "yaml") return old.trim() === "" ? dumpYaml(next) : updateYamlText(old, next, file);
  const crlf = old.includes("\r\n");
  const text = crlf ? old.replace(/\r\n/g, "\n") : old;
  const editor: Editor = kind === "json" ? editJson : kind === "toml" ? editToml : editPython;
  let out: string | null = null;
  try {
    out = editAll(text, oldData, next, editor);
  } catch (err) {
    // a value the format cannot hold (null in TOML, inf in Python); a layout the scanner cannot follow falls back
    if (err instanceof TypeError) throw new ParamsEditError(err.message, { cause: err });
    if (!(err instanceof SyntaxError)) throw err;
  }
  if (out === null || !holds(out, file, next)) {
    if (kind === "python") throw new ParamsEditError("the change cannot be written in place in this Python file");
    out = kind === "json" ? dumpJsonLike(text, next) : stringifyToml(next);
  }
  return crlf ? out.replace(/\n/g, "\r\n") : out;
}
