// Lazy loading, checked on the module graph: `dvx --version` and `dvx --help` load only the CLI shell (each command's
// op, renderer and the data layers stay behind the action's `await import`), and `dvx status` leaves the heavy
// packages (S3 SDK, isomorphic-git) unloaded. Runs the tsc output (dist/, ESM) with a module-load hook that records
// every URL; the bundle bin/dvx.js loads turns the same dynamic imports into lazily initialised modules.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "../helpers/build.js";
import { makeRepo, tmpDir } from "../helpers/tmp-repo.js";

const HOOKS = `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.DVX_TRACE, url + "\\n");
  return next(url, context);
}
`;
const RUN =
  "const { main, realIo } = await import(process.argv[1]); process.exitCode = await main(process.argv.slice(2), realIo());";

/** The modules one run loads: files under dist/ as "cli/main.js", packages by name. */
function loaded(cwd: string, args: string[]): { dist: string[]; packages: string[] } {
  const dir = tmpDir();
  writeFileSync(join(dir, "hooks.mjs"), HOOKS);
  writeFileSync(
    join(dir, "register.mjs"),
    `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`,
  );
  const trace = join(dir, "trace.txt");
  writeFileSync(trace, "");
  const main = pathToFileURL(join(ROOT, "dist/cli/main.js")).href;
  execFileSync(
    process.execPath,
    ["--import", join(dir, "register.mjs"), "--input-type=module", "-e", RUN, main, ...args],
    {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DVX_TRACE: trace },
      stdio: "pipe",
    },
  );
  const urls = readFileSync(trace, "utf8").split("\n").filter(Boolean);
  const dist = pathToFileURL(join(ROOT, "dist")).href + "/";
  const nodeModules = pathToFileURL(join(ROOT, "node_modules")).href + "/";
  const pkg = (rest: string): string =>
    rest
      .split("/")
      .slice(0, rest.startsWith("@") ? 2 : 1)
      .join("/");
  return {
    dist: urls.filter((u) => u.startsWith(dist)).map((u) => u.slice(dist.length)),
    packages: [...new Set(urls.filter((u) => u.startsWith(nodeModules)).map((u) => pkg(u.slice(nodeModules.length))))],
  };
}

beforeAll(() => ensureBuilt(), 120_000);

describe("start-up loads only what the command needs", () => {
  it("--version: the entry point, the error renderer and the version; no commander", () => {
    const m = loaded(tmpDir(), ["--version"]);
    expect(m.dist).toContain("cli/main.js");
    expect(
      m.dist.filter((f) => !["cli/main.js", "cli/io.js", "cli/render/error.js", "errors.js", "version.js"].includes(f)),
    ).toEqual([]);
    expect(m.packages).toEqual([]);
  });

  it("--help: the command tree only (no op, no renderer of a result, no data layer); commander only", () => {
    const m = loaded(tmpDir(), ["--help"]);
    expect(m.dist).toContain("cli/program.js");
    expect(m.dist).toContain("commands/add.js"); // the registrations are loaded ...
    const shell = (f: string): boolean =>
      ["errors.js", "version.js", "util/shell-quote.js"].includes(f) ||
      /^commands\/[^/]+\.js$/.test(f) ||
      /^cli\/(main|io|program|render\/(error|json|progress|git-followups))\.js$/.test(f);
    expect(m.dist.filter((f) => !shell(f))).toEqual([]); // ... and nothing they run
    expect(m.packages).toEqual(["commander"]);
  });

  it("status in an up-to-date repo: no S3 SDK, no isomorphic-git", async () => {
    const repo = await makeRepo({ files: { "data.txt": "data\n" } });
    expect((await repo.run("add", "data.txt")).code).toBe(0);
    repo.commit("track data.txt");
    const m = loaded(repo.dir, ["status"]);
    expect(m.dist).toContain("core/ops/status.js");
    expect(
      m.packages.filter((p) => p.startsWith("@aws-sdk/") || p.startsWith("@smithy/") || p === "isomorphic-git"),
    ).toEqual([]);
  });
});
