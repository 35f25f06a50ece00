// The drawing library is loaded only by the commands that draw: `vega`/`vega-lite` (~0.4 s to load) must stay out
// of `dvx --help`, `dvx status`, `plots diff --md` and `--json`, and be loaded by the HTML report.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build.js";
import { threeRevisions } from "../helpers/plots-repo.js";
import { tmpDir } from "../helpers/tmp-repo.js";

const BIN = resolve(__dirname, "../../bin/dvx.js");

/** The packages a real `node bin/dvx.js <argv>` requires, recorded by a preloaded hook on Module._load. */
function run(cwd: string, argv: string[]): string[] {
  const hook = join(tmpDir("dvx-hook-"), "hook.cjs");
  writeFileSync(
    hook,
    `const M = require("module"); const seen = new Set(); const load = M._load;
M._load = function (request, ...rest) { if (!/^[./]|^node:/.test(request)) seen.add(request.split("/")[0]); return load.call(this, request, ...rest); };
process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(hook + ".out")}, JSON.stringify([...seen])));`,
  );
  execFileSync(process.execPath, ["-r", hook, BIN, ...argv], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" },
    stdio: "ignore",
  });
  return JSON.parse(readFileSync(`${hook}.out`, "utf8")) as string[];
}

describe("vega and vega-lite load only to draw", () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it("not for --help, status, plots --md or --json; yes for the HTML report", async () => {
    const repo = await threeRevisions();
    const drawing = ["vega", "vega-lite"];
    for (const argv of [["--help"], ["status"], ["plots", "diff", "HEAD~1", "--md"], ["plots", "show", "--json"]])
      expect(
        run(repo.dir, argv).filter((p) => drawing.includes(p)),
        argv.join(" "),
      ).toEqual([]);
    expect(run(repo.dir, ["plots", "show"])).toEqual(expect.arrayContaining(drawing));
  });
});
