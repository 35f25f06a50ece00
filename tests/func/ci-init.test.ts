// dvx ci init: writes the GitHub workflow from templates/, refuses to overwrite without -f.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeRepo, tmpDir } from "../helpers/tmp-repo.js";
import { runCli } from "../helpers/run-cli.js";

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Workflow = {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
};

describe("dvx ci init", () => {
  it("writes .github/workflows/dvx-report.yml at the top of the work tree (from a subdirectory too)", async () => {
    const repo = await makeRepo();
    mkdirSync(join(repo.dir, "src"));
    const r = await runCli(join(repo.dir, "src"), ["ci", "init", "--action", "my-org/dvx@v1", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      path: ".github/workflows/dvx-report.yml",
      action: "my-org/dvx@v1",
      overwritten: false,
      gitAdd: [".github/workflows/dvx-report.yml"],
      warnings: [],
    });
    const wf = parse(repo.read(".github/workflows/dvx-report.yml")) as Workflow;
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    const steps = Object.values(wf.jobs)[0]!.steps;
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with?.["fetch-depth"]).toBe(0);
    expect(steps.some((s) => s.uses?.startsWith("actions/setup-node@"))).toBe(true);
    const pull = steps.find((s) => s.run === "dvx pull")!;
    expect(pull.env).toEqual({
      AWS_ACCESS_KEY_ID: "${{ secrets.AWS_ACCESS_KEY_ID }}",
      AWS_SECRET_ACCESS_KEY: "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
    });
    const order = steps.map((s) => s.uses ?? s.run);
    expect(order.slice(2)).toEqual(["my-org/dvx@v1", "dvx pull", "dvx repro", "my-org/dvx@v1"]);
    expect(steps[2]!.with).toEqual({ comment: false }); // the first use only installs dvx
  });

  it("refuses to overwrite without -f (exit 1, FILE_EXISTS), overwrites with -f", async () => {
    const repo = await makeRepo({ init: false });
    repo.write({ ".github/workflows/dvx-report.yml": "mine\n" });
    const r = await repo.run("ci", "init", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.code).toBe("FILE_EXISTS");
    expect(repo.read(".github/workflows/dvx-report.yml")).toBe("mine\n");
    const f = await repo.run("ci", "init", "-f", "--action", "./", "--json");
    expect(f.code, f.stderr).toBe(0);
    expect(f.json()).toMatchObject({ overwritten: true, action: "./" });
    expect(repo.read(".github/workflows/dvx-report.yml")).toContain("uses: ./\n");
  });

  it("without --action uses a placeholder and says to replace it", async () => {
    const repo = await makeRepo({ init: false });
    const r = await repo.run("ci", "init");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: replace 'OWNER\/dvx'/);
    expect(r.stderr).toContain("git add .github/workflows/dvx-report.yml");
  });

  it("fails outside a git work tree (exit 3) and on a malformed --action (exit 2)", async () => {
    expect((await runCli(tmpDir(), ["ci", "init"])).code).toBe(3);
    const repo = await makeRepo({ init: false });
    expect((await repo.run("ci", "init", "--action", "not an action")).code).toBe(2);
  });
});
