// Plot templates by name, found as DVC finds them: `.dvc/plots/<name>` or `.dvc/plots/<name>.json` first (a
// project may override a built-in), then `<name>` as a path from the current directory, then the built-ins
// shipped in templates/plots/. Each is read once per run.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { BUILTIN_TEMPLATES } from "../../plots/build.js";
import { isPlainObject } from "../../plots/props.js";
import type { TemplateRef } from "../../plots/types.js";
import { packagePath } from "../../version.js";

export type TemplateLookup = ({ ok: true } & TemplateRef) | { ok: false; name: string; type: string; msg: string };

async function readIfFile(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return null;
    throw err;
  }
}

export class PlotTemplates {
  private readonly cache = new Map<string, Promise<TemplateLookup>>();

  constructor(
    private readonly dotDir: string,
    private readonly cwd: string,
  ) {}

  get(name: string): Promise<TemplateLookup> {
    let found = this.cache.get(name);
    if (!found) this.cache.set(name, (found = this.find(name)));
    return found;
  }

  private async find(name: string): Promise<TemplateLookup> {
    const dir = join(this.dotDir, "plots");
    for (const path of [join(dir, name), join(dir, `${name}.json`), resolve(this.cwd, name)]) {
      const text = await readIfFile(path);
      if (text !== null) return parse(name, text, false);
    }
    if ((BUILTIN_TEMPLATES as readonly string[]).includes(name))
      return parse(name, await readFile(packagePath(`templates/plots/${name}.json`), "utf8"), true);
    return { ok: false, name, type: "TemplateNotFoundError", msg: `Template '${name}' not found.` };
  }
}

function parse(name: string, text: string, builtin: boolean): TemplateLookup {
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return { ok: false, name, type: "BadTemplateError", msg: `Template '${name}' is not valid JSON: ${err.message}` };
  }
  if (!isPlainObject(content))
    return { ok: false, name, type: "BadTemplateError", msg: `Template '${name}' is not a JSON object` };
  return { ok: true, name, content, builtin };
}

/** A built-in template's JSON (`dvx plots templates <name>`); UsageError for an unknown name. */
export async function readBuiltinTemplate(name: string): Promise<unknown> {
  if (!(BUILTIN_TEMPLATES as readonly string[]).includes(name))
    throw new UsageError(`unknown template '${name}'`, { hint: 'run "dvx plots templates" for the list' });
  return JSON.parse(await readFile(packagePath(`templates/plots/${name}.json`), "utf8")) as unknown;
}
