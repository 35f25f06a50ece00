// isomorphic-git costs ~70-100 ms to import: src/git loads it only for index and write operations; reading
// refs, commits, trees and files (git-read.ts) never does.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git, makeTmp, removeTmp } from "../../helpers/tmp-repo.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const gitSrc = path.join(root, "src", "git");
let tmp: string;

beforeAll(() => {
  tmp = makeTmp();
});
afterAll(() => removeTmp(tmp));

describe("isomorphic-git loading", () => {
  it("is imported by src/git/git.ts only, and only with a dynamic import()", () => {
    for (const file of readdirSync(gitSrc).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(path.join(gitSrc, file), "utf8");
      const staticImport = /^\s*import\s[^;]*?from\s+["']isomorphic-git["']/m.test(text);
      const dynamicImport = /import\(\s*["']isomorphic-git["']\s*\)/.test(text);
      expect([file, staticImport]).toEqual([file, false]);
      expect([file, dynamicImport]).toEqual([file, file === "git.ts"]);
    }
  });

  it("is not loaded by importing src/git modules, findGitRoot or reads, but is by the first index operation", () => {
    const out = path.join(tmp, "out");
    mkdirSync(path.join(out, "git"), { recursive: true });
    mkdirSync(path.join(out, "util"), { recursive: true });
    const sources = readdirSync(gitSrc)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join("git", f));
    for (const rel of [...sources, "errors.ts", "util/pool.ts"]) {
      const source = readFileSync(path.join(root, "src", rel), "utf8");
      const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true };
      const js = ts.transpileModule(source, { compilerOptions: options }).outputText;
      writeFileSync(path.join(out, rel.replace(/\.ts$/, ".js")), js);
    }
    symlinkSync(path.join(root, "node_modules"), path.join(tmp, "node_modules"));
    writeFileSync(path.join(tmp, "package.json"), '{ "type": "module" }\n');
    const repo = path.join(tmp, "repo");
    mkdirSync(repo);
    git(repo, "init", "-q");
    const probe = path.join(tmp, "probe.mjs");
    writeFileSync(
      probe,
      `import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const loaded = () => Object.keys(require.cache).some((k) => k.includes("isomorphic-git"));
const g = await import("./out/git/git.js");
await import("./out/git/revparse.js");
await import("./out/git/readers.js");
const afterImport = loaded();
await g.findGitRoot(process.argv[2]);
const afterFindRoot = loaded();
await g.headOid(process.argv[2]);
await g.listRefs(process.argv[2]);
const afterRead = loaded();
await g.isTracked(process.argv[2], "x");
console.log(JSON.stringify({ afterImport, afterFindRoot, afterRead, afterIndex: loaded() }));
`,
    );
    const result = JSON.parse(execFileSync(process.execPath, [probe, repo], { encoding: "utf8" })) as unknown;
    expect(result).toEqual({ afterImport: false, afterFindRoot: false, afterRead: false, afterIndex: true });
  });
});
