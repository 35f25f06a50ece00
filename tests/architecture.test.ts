// Enforces the layering of docs/architecture.md §1 by scanning every import in src/**/*.ts:
//   cli → commands → core → {pipeline, tracking, metrics, report} → {odb, remote, git, config, fsx} → errors, util
// plus the third-party adapter rule (each library has a fixed, explicit set of importers) and
// "only cli/ touches process streams". Known violations are listed explicitly below, never silently allowed.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, posix, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");
const SRC = join(ROOT, "src");

interface Edge {
  from: string; // "src/core/ops/add.ts"
  spec: string; // as written
  target: string; // "src/odb/hash.ts" for relative imports, the package name for bare ones
  external: boolean;
  typeOnly: boolean;
  line: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const packageName = (spec: string): string => {
  const parts = spec.split("/");
  return spec.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
};

function scan(file: string): { edges: Edge[]; processUses: { what: string; line: number }[] } {
  const rel = relative(ROOT, file).split("\\").join("/");
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const processUses: { what: string; line: number }[] = [];
  const lineOf = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (n: ts.Node, spec: string, typeOnly: boolean): void => {
    const external = !spec.startsWith(".");
    const target = external
      ? spec.startsWith("node:")
        ? spec
        : packageName(spec)
      : posix.normalize(posix.join(posix.dirname(rel), spec)).replace(/\.js$/, ".ts");
    edges.push({ from: rel, spec, target, external, typeOnly, line: lineOf(n) });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly =
        c !== undefined &&
        (c.isTypeOnly ||
          (c.name === undefined && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(n, n.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      add(n, n.moduleSpecifier.text, n.isTypeOnly);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = n.arguments[0];
      if (a && ts.isStringLiteralLike(a)) add(n, a.text, false);
      else add(n, "<dynamic non-literal import>", false);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      add(n, n.argument.literal.text, true); // typeof import("x")
    } else if (
      ts.isImportEqualsDeclaration(n) &&
      ts.isExternalModuleReference(n.moduleReference) &&
      ts.isStringLiteral(n.moduleReference.expression)
    ) {
      add(n, n.moduleReference.expression.text, n.isTypeOnly);
    } else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "require") {
      const a = n.arguments[0];
      add(n, a && ts.isStringLiteralLike(a) ? a.text : "<dynamic require>", false);
    }
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression)) {
      const obj = n.expression.text;
      const prop = n.name.text;
      if (
        obj === "process" &&
        ["stdout", "stderr", "stdin", "exit", "exitCode", "env", "cwd", "chdir", "argv"].includes(prop)
      )
        processUses.push({ what: `process.${prop}`, line: lineOf(n) });
      if (obj === "console") processUses.push({ what: `console.${prop}`, line: lineOf(n) });
    }
    if (
      ts.isElementAccessExpression(n) &&
      ts.isIdentifier(n.expression) &&
      (n.expression.text === "process" || n.expression.text === "console")
    ) {
      processUses.push({ what: `${n.expression.text}[…]`, line: lineOf(n) });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { edges, processUses };
}

const FILES = walk(SRC)
  .map((f) => relative(ROOT, f).split("\\").join("/"))
  .sort();
const SCANS = new Map(FILES.map((f) => [f, scan(join(ROOT, f))]));
const EDGES = [...SCANS.values()].flatMap((s) => s.edges);
const INTERNAL = EDGES.filter((e) => !e.external);
const EXTERNAL = EDGES.filter((e) => e.external && !e.target.startsWith("node:"));
const fmt = (e: Edge): string => `${e.from}:${e.line} → ${e.spec}${e.typeOnly ? " (type)" : ""}`;

/** "src/core/ops/add.ts" → "core"; "src/errors.ts" → "errors". */
const area = (f: string): string => {
  const p = f.split("/");
  return p.length === 2 ? p[1]!.replace(/\.ts$/, "") : p[1]!;
};

// Higher rank = higher layer. Imports must point to a strictly lower rank, or stay inside their own area.
const RANK: Record<string, number> = {
  cli: 6,
  commands: 5,
  core: 4,
  pipeline: 3,
  tracking: 3,
  metrics: 3,
  report: 3,
  plots: 3,
  exp: 3,
  odb: 2,
  remote: 2,
  git: 2,
  config: 2,
  fsx: 2,
  errors: 1,
  version: 1,
  util: 1,
};
// Edges between two areas of the same rank that the design allows: fsx (atomic write, paths, walk) is the
// filesystem toolkit every data-layer module builds on.
// metrics/ parses params and metrics files with pipeline/'s readers (params-file, toml) and prints Python
// reprs with pipeline/py-str: one format family, read one way. report/ prints metrics tables with metrics/'s
// (pure) table and diff models. exp/ edits params files for -S with pipeline/'s readers too (the overrides locate
// values with the same parsers that read them).
const SAME_RANK_ALLOWED = new Set([
  "odb→fsx",
  "config→fsx",
  "git→fsx",
  "remote→fsx",
  "metrics→pipeline",
  "report→metrics",
  "exp→pipeline",
]);
// cli/ and commands/ form the CLI shell: commands/* pick a renderer and use the context from cli/, but never
// import the entry points that import them (cli/main.ts, cli/program.ts), which would be a cycle.
const COMMANDS_MAY_USE_CLI = (target: string): boolean =>
  target === "src/cli/context.ts" || target === "src/cli/io.ts" || target.startsWith("src/cli/render/");

// KNOWN EXCEPTIONS — existing violations, reported to the lead; remove an entry once it is fixed.
// Each entry is "from → target" exactly; the test also fails when an entry no longer occurs (stale).
const KNOWN_LAYER_EXCEPTIONS = new Set<string>([]);
const KNOWN_UNDECLARED_PACKAGES = new Set<string>([]);

describe("architecture: import layering (docs/architecture.md §1)", () => {
  it("finds the source tree and parses imports", () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(INTERNAL.length).toBeGreaterThan(100);
    expect(FILES).toContain("src/git/git.ts");
    // every area under src/ is in the layering table (a new top-level folder must be placed deliberately)
    const areas = [...new Set(FILES.map(area))].sort();
    expect(areas.filter((a) => RANK[a] === undefined)).toEqual([]);
  });

  it("every relative import resolves to a file inside src/", () => {
    const bad = INTERNAL.filter((e) => !e.target.startsWith("src/") || !existsSync(join(ROOT, e.target))).map(fmt);
    expect(bad).toEqual([]);
  });

  it("imports point only down the layers (or stay inside their own area)", () => {
    const violations: string[] = [];
    for (const e of INTERNAL) {
      const a = area(e.from);
      const b = area(e.target);
      if (a === b) continue;
      const ok =
        RANK[b]! < RANK[a]! ||
        SAME_RANK_ALLOWED.has(`${a}→${b}`) ||
        (a === "commands" && b === "cli" && COMMANDS_MAY_USE_CLI(e.target));
      if (!ok) violations.push(`${e.from} → ${e.target}`);
    }
    const unexpected = [...new Set(violations)].filter((v) => !KNOWN_LAYER_EXCEPTIONS.has(v));
    expect(unexpected).toEqual([]);
  });

  it("known layer exceptions still exist (delete the entry when fixed)", () => {
    const seen = new Set(INTERNAL.map((e) => `${e.from} → ${e.target}`));
    expect([...KNOWN_LAYER_EXCEPTIONS].filter((k) => !seen.has(k))).toEqual([]);
  });

  it("errors.ts and util/ are leaves: they import nothing else from src/", () => {
    const bad = INTERNAL.filter(
      (e) => ["errors", "util"].includes(area(e.from)) && area(e.target) !== area(e.from),
    ).map(fmt);
    expect(bad).toEqual([]);
  });

  it("odb/ never imports remote/, git/, pipeline/, tracking/, core/, cli/ or commands/", () => {
    const bad = INTERNAL.filter(
      (e) =>
        area(e.from) === "odb" &&
        ["remote", "git", "pipeline", "tracking", "core", "cli", "commands"].includes(area(e.target)),
    ).map(fmt);
    expect(bad).toEqual([]);
  });

  it("pipeline/ imports nothing from git/ except the TreeReader port (type-only)", () => {
    const fromPipeline = INTERNAL.filter((e) => area(e.from) === "pipeline" && area(e.target) === "git");
    expect(fromPipeline.length).toBeGreaterThan(0); // it does use the port today
    const bad = fromPipeline.filter((e) => e.target !== "src/git/tree-reader.ts" || !e.typeOnly).map(fmt);
    expect(bad).toEqual([]);
  });

  it("nothing below cli/ and commands/ imports cli/ or commands/", () => {
    const bad = INTERNAL.filter(
      (e) => !["cli", "commands"].includes(area(e.from)) && ["cli", "commands"].includes(area(e.target)),
    ).map(fmt);
    expect(bad).toEqual([]);
  });
});

// Who may import each third-party package. Exact file paths, or a folder prefix ending in "/".
// Every package imported anywhere in src/ must have an entry (a new dependency is placed deliberately).
const PACKAGE_IMPORTERS: Record<string, { files: string[]; typeOnlyIn?: string[] }> = {
  "isomorphic-git": { files: ["src/git/git.ts"] },
  "@aws-sdk/*": { files: ["src/remote/s3.ts"] },
  "@smithy/*": { files: ["src/remote/s3.ts"] },
  // program.ts builds the tree; commands/* receive the Command and only need its type
  commander: { files: ["src/cli/program.ts", "src/commands/"] },
  "cli-table3": { files: ["src/cli/render/table.ts"] },
  // row counts of changed text data in `dvx ci report` (jsdiff's array diff)
  diff: { files: ["src/report/row-diff.ts"] },
  hasha: { files: ["src/odb/hash.ts"] },
  // the files that really import yaml today (all YAML goes through the util/yaml.ts wrapper)
  yaml: { files: ["src/util/yaml.ts"] },
  ignore: { files: ["src/fsx/dvcignore.ts", "src/git/"] },
  // Python fnmatch for `--glob`, and TOML params files: each loaded on first use through createRequire
  picomatch: { files: ["src/util/fnmatch.ts"] },
  "smol-toml": { files: ["src/pipeline/toml.ts"] },
  // Vega-Lite → Vega → SVG for `dvx plots`, loaded lazily by the one drawing module
  vega: { files: ["src/plots/render-svg.ts"] },
  "vega-lite": { files: ["src/plots/render-svg.ts"] },
};

const ruleFor = (pkg: string): { files: string[]; typeOnlyIn?: string[] } | undefined =>
  PACKAGE_IMPORTERS[pkg] ?? (pkg.startsWith("@") ? PACKAGE_IMPORTERS[`${pkg.split("/")[0]}/*`] : undefined);
const matches = (file: string, patterns: string[]): boolean =>
  patterns.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p));

describe("architecture: third-party packages (adapter rule)", () => {
  const pkgJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };

  it("the scan sees the adapters' imports", () => {
    const pairs = new Set(EXTERNAL.map((e) => `${e.from} ${e.target}`));
    expect(pairs).toContain("src/git/git.ts isomorphic-git");
    expect(pairs).toContain("src/remote/s3.ts @aws-sdk/client-s3");
    expect(pairs).toContain("src/cli/program.ts commander");
    expect(pairs).toContain("src/util/yaml.ts yaml");
    expect(pairs).toContain("src/fsx/dvcignore.ts ignore");
  });

  it("each package is imported only by its allowed modules", () => {
    const bad: string[] = [];
    for (const e of EXTERNAL) {
      const rule = ruleFor(e.target);
      if (!rule) bad.push(`${fmt(e)}: '${e.target}' has no entry in PACKAGE_IMPORTERS`);
      else if (!matches(e.from, rule.files)) bad.push(`${fmt(e)}: not an allowed importer of '${e.target}'`);
      else if (rule.typeOnlyIn && matches(e.from, rule.typeOnlyIn) && !e.typeOnly)
        bad.push(`${fmt(e)}: only type imports of '${e.target}' are allowed here`);
    }
    expect(bad).toEqual([]);
  });

  it("the yaml allow-list names exactly the files that import yaml (keep it explicit)", () => {
    const importers = [...new Set(EXTERNAL.filter((e) => e.target === "yaml").map((e) => e.from))].sort();
    expect(importers).toEqual(PACKAGE_IMPORTERS.yaml!.files);
  });

  it("no module imports a package that is not in package.json dependencies", () => {
    const bad = [
      ...new Set(EXTERNAL.filter((e) => !(e.target in pkgJson.dependencies)).map((e) => `${e.from} → ${e.target}`)),
    ];
    expect(bad.filter((b) => !KNOWN_UNDECLARED_PACKAGES.has(b))).toEqual([]);
    // and the known exceptions are still real (delete them once fixed)
    expect([...KNOWN_UNDECLARED_PACKAGES].filter((k) => !bad.includes(k))).toEqual([]);
  });

  it("node built-ins are imported with the node: prefix", () => {
    const builtins = new Set(builtinModules);
    const bad = EXTERNAL.filter((e) => builtins.has(e.spec) || builtins.has(e.spec.split("/")[0]!)).map(fmt);
    expect(bad).toEqual([]);
  });
});

describe("architecture: process and console only in cli/", () => {
  it("process.stdout/stderr/exit/env/cwd/argv and console.* appear only under src/cli/", () => {
    const bad: string[] = [];
    for (const [file, s] of SCANS) {
      if (file.startsWith("src/cli/")) continue;
      for (const u of s.processUses) bad.push(`${file}:${u.line} ${u.what}`);
    }
    expect(bad).toEqual([]);
  });

  it("the detector works (cli/ does use process streams)", () => {
    const cliUses = [...SCANS]
      .filter(([f]) => f.startsWith("src/cli/"))
      .flatMap(([, s]) => s.processUses.map((u) => u.what));
    expect(cliUses.some((w) => w === "process.stdout" || w === "process.stderr")).toBe(true);
  });

  it("bin/dvx.js never calls process.exit()", () => {
    const bin = readFileSync(join(ROOT, "bin/dvx.js"), "utf8");
    expect(bin).not.toMatch(/process\.exit\s*\(/);
    expect(bin).toMatch(/process\.exitCode\s*=/);
  });
});
