// Bundles dist's code into dist/bundle/ for a fast start (bin/dvx.js loads it):
// - main.cjs: the CLI as ONE CommonJS file. bin/dvx.js compiles it with a V8 code cache (vm.Script cachedData),
//   which ESM cannot use on Node 20, and one file avoids the ESM loader's per-module cost. Lazy imports stay lazy:
//   dynamic import() becomes a lazily initialised module (or a require() of a heavy package, kept external).
// - hash-worker.js, copy-worker.js, walk-worker.js: ESM entry points for worker threads (new Worker(url)).
import { build } from "esbuild";
import { rmSync } from "node:fs";

const external = ["@aws-sdk/*", "@smithy/*", "isomorphic-git", "ignore", "cli-table3", "vega", "vega-lite"];
const common = { bundle: true, platform: "node", target: "node20", external, logLevel: "warning" };

// `yaml` goes into main.cjs (and its V8 code cache) rather than being loaded from node_modules: loading its ~70
// CommonJS files costs 50-90 ms, about as much as the rest of a read-only command. src/util/yaml.ts requires it
// lazily through createRequire (plain ESM has no require); here that call becomes a plain require("yaml"), which
// esbuild bundles as a module initialised on first use, so start-up does not pay for it.
const lazyYaml = {
  name: "lazy-yaml",
  setup(b) {
    b.onLoad({ filter: /src[\\/]util[\\/]yaml\.ts$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      const text = await readFile(args.path, "utf8");
      const call = 'createRequire(import.meta.url)("yaml")';
      if (!text.includes(call)) throw new Error(`bundle: ${args.path} no longer loads yaml with ${call}`);
      return { contents: text.replace(call, 'require("yaml")'), loader: "ts" };
    });
  },
};

rmSync("dist/bundle", { recursive: true, force: true });

await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/bundle/main.cjs",
  plugins: [lazyYaml],
  format: "cjs",
  supported: { "dynamic-import": false }, // import() -> require(): no ESM loader inside the vm.Script
  define: { "import.meta.url": "__dvxModuleUrl" },
  banner: { js: 'const __dvxModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});

await build({
  ...common,
  entryPoints: {
    "hash-worker": "src/odb/hash-worker.ts",
    "copy-worker": "src/fsx/copy-worker.ts",
    "walk-worker": "src/fsx/walk-worker.ts",
  },
  outdir: "dist/bundle",
  splitting: true,
  format: "esm",
  // bundled CommonJS calls require() for Node built-ins
  banner: {
    js: "import { createRequire as __dvxRequire } from 'node:module'; const require = __dvxRequire(import.meta.url);",
  },
});

// One non-ASCII character makes V8 hold the whole 1.4 MB source as a two-byte string (slower to read and hash at
// every start). esbuild already escapes strings (charset: ascii); what is left is in comments it keeps (class fields).
{
  const { readFileSync, writeFileSync } = await import("node:fs");
  const main = "dist/bundle/main.cjs";
  const text = readFileSync(main, "utf8");
  // eslint-disable-next-line no-control-regex
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (ascii !== text) writeFileSync(main, ascii);
}

// Warm bin/dvx.js's V8 code cache with `dvx status` in a tiny temporary repo (the start-up the benchmarks watch);
// other commands' functions compile lazily as usual.
const { mkdtempSync, writeFileSync } = await import("node:fs");
const { execFileSync } = await import("node:child_process");
const { tmpdir } = await import("node:os");
const { join } = await import("node:path");
const { fileURLToPath } = await import("node:url");
const repo = mkdtempSync(join(tmpdir(), "dvx-warm-"));
try {
  const dvx = (...args) =>
    execFileSync(process.execPath, [fileURLToPath(new URL("../bin/dvx.js", import.meta.url)), ...args], {
      cwd: repo,
      stdio: "pipe",
    });
  dvx("init", "--no-scm", "-q");
  writeFileSync(join(repo, "data.txt"), "warm\n");
  dvx("add", "-q", "data.txt");
  for (const f of (await import("node:fs")).readdirSync("dist/bundle"))
    if (f.endsWith(".v8cache")) rmSync(join("dist/bundle", f));
  dvx("status");
} finally {
  rmSync(repo, { recursive: true, force: true });
}
