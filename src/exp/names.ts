// Experiment names: checked as one git ref component (git check-ref-format's rules, plus DVC's "no slash"),
// and random `adjective-noun` names as DVC gives experiments run without -n (docs/formats.md §11.1).
import { randomInt } from "node:crypto";
import { InvalidNameError } from "./errors.js";
import { ADJECTIVES, NOUNS } from "./words.js";

/** Why `name` cannot be one component of a git ref name, or null when it can. */
export function refComponentProblem(name: string): string | null {
  if (name === "") return "it is empty";
  if (name.includes("/")) return "it contains '/'";
  return refNameProblem(name);
}

/** Why `name` is not a valid ref name below refs/ (git check-ref-format --allow-onelevel), or null. */
export function refNameProblem(name: string): string | null {
  if (name === "") return "it is empty";
  if (name.startsWith("/") || name.endsWith("/")) return "it starts or ends with '/'";
  if (name.includes("//")) return "it contains '//'";
  if (name.endsWith(".")) return "it ends with '.'";
  if (name.includes("..")) return "it contains '..'";
  if (name.includes("@{")) return "it contains '@{'";
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(name);
  if (bad) return `it contains ${bad[0] <= " " || bad[0] === "\x7f" ? "a space or control character" : `'${bad[0]}'`}`;
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return "a part of it starts with '.'";
    if (part.endsWith(".lock")) return "a part of it ends with '.lock'";
  }
  return null;
}

/** Throws InvalidNameError unless `name` can name an experiment. */
export function checkExpName(name: string): void {
  const problem = refComponentProblem(name);
  if (problem !== null) throw new InvalidNameError(name, problem);
}

/**
 * A random `adjective-noun` name not in `taken` (tries a few times, then gives `exp-<5 hex of fallbackHash>` or a
 * numbered variant, which cannot collide).
 */
export function randomExpName(taken: ReadonlySet<string>, fallbackHash = ""): string {
  for (let i = 0; i < 32; i++) {
    const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}`;
    if (!taken.has(name)) return name;
  }
  const base = `exp-${(fallbackHash || randomInt(0x100000).toString(16).padStart(5, "0")).slice(0, 5)}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}
