// -S/--set-param for an experiment: every override is parsed and applied in memory first (any bad one stops the
// command before a file is touched), then each changed params file is written atomically, keeping its format.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ParamOverrideError } from "../../exp/errors.js";
import { applyOverrides } from "../../exp/override-apply.js";
import { parseSetParam, type ParamOverride } from "../../exp/override-parse.js";
import { ParamsEditError, rewriteParamsText } from "../../exp/params-edit.js";
import { paramsSuffixForEdit } from "../../exp/params-format.js";
import { writeFileAtomic } from "../../fsx/atomic.js";
import { errorCode } from "../../git/git-util.js";
import { parseParamsFile } from "../../pipeline/params-file.js";

export interface ParamsFileEdit {
  /** Repo-relative POSIX path. */
  file: string;
  abs: string;
  text: string;
}

/** Parses `-S` arguments (sweeps are refused unless `allowSweeps`: only the queue expands them). */
export function parseSetParams(args: readonly string[], allowSweeps = false): ParamOverride[] {
  const out = args.map((a) => parseSetParam(a));
  const sweep = out.find((o) => o.sweep !== undefined);
  if (sweep && !allowSweeps)
    throw new ParamOverrideError(
      sweep.arg,
      "it sweeps over several values",
      "sweeps (a,b / choice() / range()) need --queue",
    );
  return out;
}

/** The new texts of the params files the overrides change; nothing is written. */
export async function planSetParams(
  root: string,
  cwd: string,
  overrides: readonly ParamOverride[],
): Promise<ParamsFileEdit[]> {
  const byFile = new Map<string, ParamOverride[]>();
  for (const o of overrides) {
    const abs = path.resolve(cwd, o.file);
    const rel = path.relative(root, abs).split(path.sep).join("/");
    if (rel === "" || rel.startsWith("../") || rel === ".." || path.isAbsolute(rel))
      throw new ParamOverrideError(o.arg, `'${o.file}' is outside the repository`);
    if (paramsSuffixForEdit(rel) === null)
      throw new ParamOverrideError(
        o.arg,
        `'${o.file}' is not a params file dvx can edit`,
        "use a .yaml, .yml, .json, .toml or .py file",
      );
    byFile.set(rel, [...(byFile.get(rel) ?? []), o]);
  }
  const edits: ParamsFileEdit[] = [];
  for (const [file, list] of byFile) {
    const abs = path.join(root, ...file.split("/"));
    let text: string;
    try {
      text = await readFile(abs, "utf8");
    } catch (e) {
      const code = errorCode(e);
      if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR")
        throw new ParamOverrideError(
          list[0]!.arg,
          `there is no params file '${list[0]!.file}'`,
          "check the path (it is relative to the current directory)",
        );
      throw e;
    }
    const data = parseParamsFile(text, file, { keepFloats: true });
    const next = applyOverrides(data, list);
    let out: string;
    try {
      out = rewriteParamsText(file, text, data, next);
    } catch (e) {
      if (e instanceof ParamsEditError) throw new ParamOverrideError(list.map((o) => o.arg).join(" "), e.message);
      throw e;
    }
    if (out !== text) edits.push({ file, abs, text: out });
  }
  return edits;
}

export async function writeParamsEdits(edits: readonly ParamsFileEdit[]): Promise<void> {
  for (const e of edits) await writeFileAtomic(e.abs, e.text);
}
