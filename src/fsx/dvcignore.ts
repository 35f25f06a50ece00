// .dvcignore rules (gitignore syntax, nested files merge with their parents), plus DVC's built-ins.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Ignore } from "ignore";
import { errCode } from "./atomic.js";

// loaded only when a .dvcignore holds patterns (the default one is comments only)
let ignoreFactory: (() => Ignore) | undefined;
const newIgnore = (): Ignore => (ignoreFactory ??= createRequire(import.meta.url)("ignore") as () => Ignore)();

const BUILTIN = new Set([".git", ".hg", ".dvc"]);

export class DvcIgnore {
  private readonly perDir = new Map<string, Ignore | null>();

  constructor(private readonly root: string) {}

  /** Rules of the .dvcignore in `dirRel` ("" = root), or null when there is none. */
  private rulesOf(dirRel: string): Ignore | null {
    const cached = this.perDir.get(dirRel);
    if (cached !== undefined) return cached;
    let rules: Ignore | null = null;
    try {
      const text = readFileSync(join(this.root, dirRel, ".dvcignore"), "utf8");
      const patterns = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#"));
      if (patterns.length > 0) rules = newIgnore().add(patterns);
    } catch (err) {
      if (errCode(err) !== "ENOENT" && errCode(err) !== "ENOTDIR") throw err;
    }
    this.perDir.set(dirRel, rules);
    return rules;
  }

  /** Is this one entry ignored, given that its parents are not? (used while walking top-down) */
  ignoresEntry(rel: string, isDir: boolean): boolean {
    const slash = rel.lastIndexOf("/");
    const name = rel.slice(slash + 1);
    if (BUILTIN.has(name)) return true;
    // every .dvcignore from the root down to the entry's parent applies, each relative to its own dir
    const parts = rel.split("/");
    let dir = "";
    for (let i = 0; i < parts.length; i++) {
      const rules = this.rulesOf(dir);
      if (rules) {
        const sub = parts.slice(i).join("/");
        if (rules.ignores(isDir ? `${sub}/` : sub)) return true;
      }
      dir = dir === "" ? (parts[i] as string) : `${dir}/${parts[i]}`;
    }
    return false;
  }

  /** Does any .dvcignore from the root down to directory `dirRel` have patterns? */
  hasRulesFor(dirRel: string): boolean {
    if (this.rulesOf("") !== null) return true;
    if (dirRel === "") return false;
    let dir = "";
    for (const part of dirRel.split("/")) {
      dir = dir === "" ? part : `${dir}/${part}`;
      if (this.rulesOf(dir) !== null) return true;
    }
    return false;
  }

  /** Is `rel` (repo-relative POSIX) ignored, itself or through any ignored parent directory? */
  isIgnored(rel: string, isDir: boolean): boolean {
    const parts = rel.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      if (this.ignoresEntry(prefix, i < parts.length || isDir)) return true;
    }
    return false;
  }
}
