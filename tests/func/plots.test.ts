// dvx plots show/diff on real temp git repositories with three revisions: DVC's --json, the HTML report,
// Markdown, targets, templates, revisions chosen as DVC chooses them, and unreadable files as errors.
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { lossCsv, PNG_1PX, threeRevisions } from "../helpers/plots-repo.js";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { makeRepo } from "../helpers/tmp-repo.js";

interface VegaJson {
  type: "vega";
  revisions: string[];
  content: { data: { values: Record<string, unknown>[] }; [k: string]: unknown };
}
interface PlotsJson {
  data?: Record<string, (VegaJson | { type: "image"; revisions: string[]; url: string })[]>;
  errors?: Record<string, unknown>[];
}

describe("dvx plots diff --json", () => {
  it("overlays three revisions in DVC's shape: filled specs with every datapoint, images as files", async () => {
    const repo = await threeRevisions();
    const r = await repo.run("plots", "diff", "HEAD~2", "HEAD~1", "HEAD", "--json");
    expect(r.code).toBe(0);
    const out = r.json<PlotsJson>();
    expect(out.errors).toBeUndefined();
    expect(Object.keys(out.data!)).toEqual([
      "Accuracy",
      "eval/importance.json",
      "loss.csv",
      "eval/conf.json",
      "roc.png",
    ]);
    const loss = out.data!["loss.csv"]![0] as VegaJson;
    expect(loss.type).toBe("vega");
    expect(loss.revisions).toEqual(["HEAD~2", "HEAD~1", "HEAD"]);
    expect(JSON.stringify(loss.content)).not.toContain("<DVC_METRIC_");
    expect(loss.content.encoding).toMatchObject({ color: { field: "rev", scale: { domain: loss.revisions } } });
    const values = loss.content.data.values;
    expect(values).toHaveLength(60);
    expect(values[0]).toEqual({ epoch: "0", loss: "1.0000", acc: "0.0000", rev: "HEAD~2" });
    expect(values.filter((v) => v.rev === "HEAD").map((v) => v.loss)[0]).toBe("1.2000");

    const acc = out.data!.Accuracy![0] as VegaJson;
    expect(acc.content.title).toEqual({ text: "Accuracy and loss", anchor: "middle" });
    expect(new Set(acc.content.data.values.map((v) => v.field))).toEqual(new Set(["acc", "loss"]));
    expect(acc.content.data.values[0]).toHaveProperty("dvc_inferred_y_value");

    const images = out.data!["roc.png"] as { type: string; revisions: string[]; url: string }[];
    expect(images.map((i) => [i.type, i.revisions])).toEqual([
      ["image", ["HEAD~2"]],
      ["image", ["HEAD~1"]],
      ["image", ["HEAD"]],
    ]);
    expect(images[1]!.url).toBe(join(repo.dir, "dvc_plots", "HEAD~1_roc.png"));
    expect(readFileSync(images[1]!.url).at(-1)).toBe(1);
  });

  it("no revisions: HEAD and the workspace when the plots changed, the workspace alone when not", async () => {
    const repo = await threeRevisions();
    const revsOf = async (): Promise<string[]> =>
      ((await repo.run("plots", "diff", "--json")).json<PlotsJson>().data!["loss.csv"]![0] as VegaJson).revisions;
    expect(await revsOf()).toEqual(["workspace"]);
    repo.write({ "loss.csv": lossCsv(5) });
    expect(await revsOf()).toEqual(["workspace", "HEAD"]);
    const one = await repo.run("plots", "diff", "HEAD~2", "--json", "--targets", "loss.csv");
    expect(Object.keys(one.json<PlotsJson>().data!)).toEqual(["loss.csv"]);
    expect((one.json<PlotsJson>().data!["loss.csv"]![0] as VegaJson).revisions).toEqual(["workspace", "HEAD~2"]);
  });

  it("a file missing at one revision is an error entry; the rest is drawn; exit 0", async () => {
    const repo = await threeRevisions();
    repo.git("rm", "-q", "eval/conf.json");
    repo.commit("drop conf");
    const r = await repo.run("plots", "diff", "HEAD~1", "HEAD", "--json");
    expect(r.code).toBe(0);
    const out = r.json<PlotsJson>();
    expect(out.errors).toEqual([
      {
        name: "eval/conf.json",
        rev: "HEAD",
        source: "eval/conf.json",
        type: "FileNotFoundError",
        msg: expect.any(String),
      },
    ]);
    expect((out.data!["eval/conf.json"]![0] as VegaJson).revisions).toEqual(["HEAD~1"]);
    expect(r.stderr).toContain("HEAD: eval/conf.json:");
  });

  it("reads plot files inside cached outputs from the cache at each revision (missing object: an error entry)", async () => {
    const repo = await makeRepo({ files: { "dvc.yaml": "plots:\n  - eval/loss.csv:\n      y: loss\n" } });
    for (const k of [0, 1]) {
      repo.write({ "eval/loss.csv": lossCsv(k) });
      expect((await repo.run("add", "eval")).code).toBe(0);
      repo.commit(`eval v${k}`);
    }
    expect(repo.git("ls-files")).not.toContain("eval/loss.csv"); // only in the cache, not in git
    const r = await repo.run("plots", "diff", "HEAD~1", "HEAD", "--json");
    expect(r.code).toBe(0);
    const plot = r.json<PlotsJson>().data!["eval/loss.csv"]![0] as VegaJson;
    expect(plot.revisions).toEqual(["HEAD~1", "HEAD"]);
    const firstLoss = (rev: string): unknown => plot.content.data.values.find((v) => v.rev === rev)?.loss;
    expect([firstLoss("HEAD~1"), firstLoss("HEAD")]).toEqual(["1.0000", "1.1000"]);

    rmSync(join(repo.dir, ".dvc", "cache"), { recursive: true });
    const gone = await repo.run("plots", "diff", "HEAD~1", "HEAD", "--json");
    expect(gone.code).toBe(0);
    expect(gone.json<PlotsJson>().errors?.map((e) => [e.rev, e.type])).toEqual([
      ["HEAD~1", "NOT_IN_CACHE"],
      ["HEAD", "NOT_IN_CACHE"],
    ]);
  });

  it("an unknown revision fails with the revision error", async () => {
    const repo = await threeRevisions();
    const r = await repo.run("plots", "diff", "nope", "HEAD", "--json");
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stderr).error.code).toBe("REVISION_NOT_FOUND");
  });
});

describe("dvx plots show", () => {
  it("writes one self-contained index.html (every chart as SVG, images inline) and prints its file URL", async () => {
    const repo = await threeRevisions();
    const r = await repo.run("plots", "show");
    expect(r.code).toBe(0);
    const path = join(repo.dir, "dvc_plots", "index.html");
    expect(r.stdout).toBe(`${pathToFileURL(path).href}\n`);
    const html = readFileSync(path, "utf8");
    expect(html).not.toMatch(/<script|src="https?:/);
    expect(html.match(/<section class="plot"/g)).toHaveLength(5);
    expect(html.match(/<svg[^>]*class="marks"/g)).toHaveLength(4);
    expect(html).toContain(
      `src="data:image/png;base64,${Buffer.concat([PNG_1PX, Buffer.from([2])]).toString("base64")}"`,
    );
    expect(readdirSync(join(repo.dir, "dvc_plots"))).toEqual(["index.html"]);
  });

  it("-o DIR, targets (declared or not), -y and a custom template from .dvc/plots/", async () => {
    const repo = await threeRevisions();
    repo.write({
      "extra.tsv": "a\tb\n1\t2\n3\t4\n",
      ".dvc/plots/bars.json": JSON.stringify({
        $schema: "https://vega.github.io/schema/vega-lite/v5.json",
        data: { values: "<DVC_METRIC_DATA>" },
        title: "<DVC_METRIC_TITLE>",
        mark: "bar",
        encoding: {
          x: { field: "<DVC_METRIC_X>", type: "ordinal" },
          y: { field: "<DVC_METRIC_Y>", type: "quantitative" },
        },
      }),
    });
    const r = await repo.run("plots", "show", "extra.tsv", "-y", "a", "-t", "bars", "--json");
    expect(r.code).toBe(0);
    const plot = r.json<PlotsJson>().data!["extra.tsv"]![0] as VegaJson;
    expect(plot.content).toMatchObject({ mark: "bar", title: "extra.tsv", encoding: { y: { field: "a" } } });
    expect(plot.content.data.values[0]).toEqual({
      a: "1",
      b: "2",
      step: 0,
      rev: "workspace",
      filename: "extra.tsv",
      field: "a",
    });

    const html = await repo.run("plots", "show", "Acc", "-o", "report");
    expect(html.code).toBe(0);
    const page = readFileSync(join(repo.dir, "report", "index.html"), "utf8");
    expect(page.match(/<section class="plot"/g)).toHaveLength(1);
    expect(page).toContain("<h2>Accuracy</h2>");
    expect(existsSync(join(repo.dir, "dvc_plots"))).toBe(false);
  });

  it("--show-vega prints the one target's filled spec", async () => {
    const repo = await threeRevisions();
    const r = await repo.run("plots", "show", "loss.csv", "--show-vega");
    expect(r.code).toBe(0);
    const spec = r.json<VegaJson["content"]>();
    expect(spec.title).toEqual({ text: "loss.csv", anchor: "middle" });
    expect(spec.data.values).toHaveLength(20);
    expect((await repo.run("plots", "show", "--show-vega")).code).toBe(2);
  });

  it("without any plot: says so on stderr, writes nothing, exits 0", async () => {
    const repo = await makeRepo({ files: { "dvc.yaml": 'stages:\n  a:\n    cmd: "true"\n' } });
    const r = await repo.run("plots", "show");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("No plots were loaded");
    expect(existsSync(join(repo.dir, "dvc_plots"))).toBe(false);
  });
});

describe("--open and plots.auto_open", () => {
  /** Runs dvx with an io whose browser records what it was asked to open (and answers `found`). */
  async function withBrowser(dir: string, argv: string[], found: boolean) {
    const opened: string[] = [];
    let stdout = "";
    let stderr = "";
    const io: CliIo = {
      stdout: (s) => void (stdout += s),
      stderr: (s) => void (stderr += s),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: { HOME: process.env.HOME, PATH: process.env.PATH, DVC_GLOBAL_CONFIG_DIR: "/nonexistent-dvx-test" },
      cwd: dir,
      umask: 0o022,
      openUrl: async (u) => (opened.push(u), found),
    };
    const code = await main(argv, io);
    return { code, stdout, stderr, opened };
  }

  it("opens the report's file URL when asked (or when plots.auto_open is set), and says when it cannot", async () => {
    const repo = await threeRevisions();
    const href = pathToFileURL(join(repo.dir, "dvc_plots", "index.html")).href;
    expect((await withBrowser(repo.dir, ["plots", "show"], true)).opened).toEqual([]);
    const r = await withBrowser(repo.dir, ["plots", "show", "--open"], true);
    expect(r).toMatchObject({ code: 0, stdout: `${href}\n`, opened: [href] });
    const none = await withBrowser(repo.dir, ["plots", "show", "--open"], false);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain("no browser");
    expect((await repo.run("config", "plots.auto_open", "true")).code).toBe(0);
    expect((await withBrowser(repo.dir, ["plots", "diff", "HEAD~1"], true)).opened).toEqual([href]);
  });
});

describe("dvx plots diff --md", () => {
  it("prints Mermaid xychart blocks for line plots and tables for the rest", async () => {
    const repo = await threeRevisions();
    const r = await repo.run("plots", "diff", "HEAD~2", "HEAD", "--md");
    expect(r.code).toBe(0);
    expect(r.stdout.match(/```mermaid\n/g)).toHaveLength(2); // Accuracy, loss.csv
    expect(r.stdout).toContain("#### loss.csv");
    expect(r.stdout).toContain("🟪 HEAD~2 · 🟦 HEAD");
    expect(r.stdout).toContain("| name | HEAD~2 | HEAD |");
    expect(r.stdout).toContain("**HEAD~2** (rows: predicted, columns: actual)");
    expect(existsSync(join(repo.dir, "dvc_plots"))).toBe(false);
  });
});

describe("dvx plots templates", () => {
  it("lists DVC's templates and prints one", async () => {
    const repo = await makeRepo();
    const list = await repo.run("plots", "templates");
    expect(list.stdout.split("\n").filter(Boolean)).toContain("confusion_normalized");
    const one = await repo.run("plots", "templates", "simple");
    expect(one.json<{ mark: unknown }>().mark).toEqual({ type: "line", tooltip: { content: "data" } });
    expect((await repo.run("plots", "templates", "nope")).code).toBe(2);
  });
});
