// `--glob` target expansion (Python glob semantics: *, ?, [...], ** across directories).
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { BadTargetError } from "../errors.js";
import { relPosix } from "../fsx/paths.js";
import type { Repo } from "./repo.js";

const hasMagic = (s: string): boolean => /[*?[]/.test(s);

export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          re += "(?:[^/]+/)*";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export function expandGlobs(repo: Repo, cwd: string, patterns: string[]): string[] {
  const out: string[] = [];
  for (const pat of patterns) {
    if (!hasMagic(pat)) {
      out.push(pat);
      continue;
    }
    const abs = resolve(cwd, pat);
    const parts = abs.split("/");
    const firstMagic = parts.findIndex(hasMagic);
    const base = parts.slice(0, firstMagic).join("/") || "/";
    const rx = globToRegExp(parts.slice(firstMagic).join("/"));
    const hits: string[] = [];
    const visit = (dir: string, rel: string): void => {
      let ents;
      try {
        ents = readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // ENOENT/ENOTDIR: nothing matches below
      }
      for (const e of ents) {
        if (e.name === ".git" || e.name === ".dvc") continue;
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (rx.test(r) && !e.name.endsWith(".dvc")) hits.push(join(dir, e.name));
        if (e.isDirectory()) visit(join(dir, e.name), r);
      }
    };
    visit(base, "");
    if (hits.length === 0)
      throw new BadTargetError(
        pat,
        "the pattern matches nothing",
        "check the pattern (quote it so the shell does not expand it)",
      );
    // a match inside another match is covered by its parent
    const sorted = hits.sort();
    for (const h of sorted)
      if (!sorted.some((p) => p !== h && h.startsWith(`${p}/`))) out.push(relPosix(cwd, h) || ".");
  }
  return out;
}
