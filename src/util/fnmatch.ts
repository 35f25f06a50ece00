// Python's fnmatch.fnmatchcase(name, pattern) for one path component, as glob.glob uses it on POSIX. picomatch
// compiles the pattern (the only importer of `picomatch`, loaded on first use: only `--glob` needs it); Python's
// rules differ from picomatch's own (`[!a]`, `[^a]`, `]` first in a class, `[z-a]`, backslash, quotes and parens
// are literal), so the pattern is first rewritten as fnmatch.translate reads it, every literal escaped.
import { createRequire } from "node:module";
import type * as Picomatch from "picomatch";

let pm: typeof Picomatch | undefined;
const picomatch = (): typeof Picomatch => (pm ??= createRequire(import.meta.url)("picomatch") as typeof Picomatch);

const PM_OPTIONS: Picomatch.PicomatchOptions = {
  dot: true, // hidden names are the caller's business (glob's rule depends on the pattern, not on picomatch)
  nobrace: true,
  noextglob: true,
  noglobstar: true,
  nonegate: true,
  posix: false,
  strictSlashes: true,
};

/** A matcher for one name; `pattern` must not contain "/". */
export function fnmatcher(pattern: string): (name: string) => boolean {
  const translated = toPicomatch(pattern);
  if (translated === null) return () => false;
  const re = picomatch().makeRe(translated, PM_OPTIONS);
  return (name) => re.test(name);
}

// picomatch collapses runs of backslashes (and can loop on them), so a literal backslash is written `\x5c`
const esc = (c: string): string => (c === "\\" ? "\\x5c" : /^[\p{L}\p{N}]$/u.test(c) ? c : `\\${c}`);

/** fnmatch.translate (Python 3.11) re-expressed for picomatch; null when the pattern can never match. */
export function toPicomatch(pat: string): string | null {
  const chars = [...pat];
  const n = chars.length;
  let out = "";
  let i = 0;
  let star = false; // consecutive stars are one
  while (i < n) {
    const c = chars[i++]!;
    if (c !== "*") star = false;
    if (c === "*") {
      if (!star) out += "*";
      star = true;
    } else if (c === "?") out += "?";
    else if (c === "[") {
      let j = i;
      if (j < n && chars[j] === "!") j++;
      if (j < n && chars[j] === "]") j++;
      while (j < n && chars[j] !== "]") j++;
      if (j >= n) {
        out += "\\[";
        continue;
      }
      const cls = bracket(chars, i, j);
      i = j + 1;
      if (cls === null) return null;
      out += cls;
    } else out += esc(c);
  }
  return out;
}

/** The class `chars[i..j)` (after "[", before "]") as Python builds it: ranges split on "-", empty ones dropped. */
function bracket(chars: string[], i: number, j: number): string | null {
  const pat = (a: number, b: number): string => chars.slice(a, b).join("");
  let chunks: string[];
  if (!chars.slice(i, j).includes("-")) chunks = [pat(i, j)];
  else {
    chunks = [];
    let k = chars[i] === "!" ? i + 2 : i + 1;
    for (;;) {
      k = chars.indexOf("-", k);
      if (k < 0 || k >= j) break;
      chunks.push(pat(i, k));
      i = k + 1;
      k = k + 3;
    }
    const last = pat(i, j);
    if (last) chunks.push(last);
    else chunks[chunks.length - 1] += "-";
    for (let k2 = chunks.length - 1; k2 > 0; k2--) {
      const prev = [...chunks[k2 - 1]!];
      const cur = [...chunks[k2]!];
      if (prev[prev.length - 1]! > cur[0]!) {
        chunks[k2 - 1] = prev.slice(0, -1).join("") + cur.slice(1).join("");
        chunks.splice(k2, 1);
      }
    }
  }
  // chunks joined by "-" are ranges (last char of one to first char of the next); all else is literal
  let body = chunks.map((ch) => [...ch]);
  const flat = body.flat();
  if (flat.length === 0) return null; // empty range: never matches
  if (flat.length === 1 && flat[0] === "!") return "?"; // negated empty range: any character
  let neg = false;
  if (body[0]![0] === "!") {
    neg = true;
    body = [body[0]!.slice(1), ...body.slice(1)];
  }
  let cls = "";
  body.forEach((ch, idx) => {
    ch.forEach((c, ci) => {
      cls += esc(c);
      if (ci === ch.length - 1 && idx < body.length - 1) cls += "-";
    });
  });
  return `[${neg ? "^" : ""}${cls}]`;
}
