// Test-only TreeReaders: an in-memory tree and one loaded from a fixture directory.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TreeReader } from "../../../src/git/tree-reader.js";

export function memoryReader(files: Record<string, string>, label = "workspace"): TreeReader {
  return {
    label,
    async readFile(path: string) {
      const text = files[path];
      return text === undefined ? null : Buffer.from(text, "utf8");
    },
    async listFiles(keep: (path: string) => boolean) {
      return Object.keys(files).filter(keep);
    },
  };
}

/** Reads every file of tests/fixtures/<name> into a map, optionally under a prefix directory. */
export function fixtureFiles(name: string, prefix = ""): Record<string, string> {
  const dir = fileURLToPath(new URL(`../../fixtures/${name}/`, import.meta.url));
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) out[prefix + f] = readFileSync(join(dir, f), "utf8");
  return out;
}
