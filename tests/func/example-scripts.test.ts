// The example pipeline's stage scripts (templates/example/src/*.mjs), run with node as a stage runner runs them:
// outputs, sensible results, byte-identical reruns, what a param change touches, file:/http: downloads, errors.
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { copyTemplate, runStage, runStages, setParam, snapshot } from "../helpers/example-template.js";

const DATASET = join("dataset", "penguins.csv");
const SPECIES = ["Adelie", "Chinstrap", "Gentoo"];

const csvRows = (text: string): string[][] =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => l.split(","));

/**
 * A loopback HTTP server: `routes` maps a path to a body; anything else is a 404. Closed after the test.
 * `auth` collects the Authorization header of each request.
 */
async function serve(routes: Record<string, string | Buffer>, auth: string[] = []): Promise<string> {
  const server: Server = createServer((req, res) => {
    auth.push(req.headers.authorization ?? "");
    const body = routes[req.url ?? ""];
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "text/csv" }).end(body ?? "not found");
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  onTestFinished(() => new Promise<void>((ok) => server.close(() => ok())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A loopback port that nothing listens on (a server's, once closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

describe("example pipeline scripts", { timeout: 120_000 }, () => {
  it("run in order and write outputs that parse, with sensible results", async () => {
    const { project } = copyTemplate();
    await runStages(project);
    const read = (p: string): string => readFileSync(join(project, p), "utf8");

    expect(read("data/raw/penguins.csv")).toBe(read(DATASET));
    const train = csvRows(read("data/train.csv"));
    const test = csvRows(read("data/test.csv"));
    const header = ["species", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
    expect(train[0]).toEqual(header);
    expect(test[0]).toEqual(header);
    expect(train.length - 1 + test.length - 1).toBe(342); // 344 rows, 2 with missing measurements
    expect([...train.slice(1), ...test.slice(1)].flat().includes("NA")).toBe(false);
    expect((test.length - 1) / 342).toBeCloseTo(0.2, 1);

    const model = JSON.parse(read("model.json")) as { classes: string[]; weights: number[][] };
    expect(model.classes).toEqual(SPECIES);
    expect(model.weights).toHaveLength(3);

    const loss = csvRows(read("plots/loss.csv"));
    expect(loss[0]).toEqual(["epoch", "loss"]);
    expect(loss).toHaveLength(1 + 50); // train.epochs in params.yaml
    const values = loss.slice(1).map(([, l]) => Number(l));
    expect(values.every((v, i) => i === 0 || v < values[i - 1]!)).toBe(true);
    expect(values[0]).toBeCloseTo(Math.log(3), 1); // near-zero initial weights: uniform over 3 classes

    const metrics = JSON.parse(read("metrics.json")) as {
      accuracy: number;
      macro_f1: number;
      loss: number;
      per_class: Record<string, { precision: number; recall: number; f1: number; support: number }>;
    };
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    expect(metrics.macro_f1).toBeGreaterThan(0.9);
    expect(metrics.loss).toBeGreaterThan(0);
    expect(Object.keys(metrics.per_class)).toEqual(SPECIES);
    const supports = Object.values(metrics.per_class).map((c) => c.support);
    expect(supports.reduce((a, b) => a + b, 0)).toBe(test.length - 1);

    const confusion = csvRows(read("plots/confusion.csv"));
    expect(confusion[0]).toEqual(["actual", "predicted"]);
    expect(confusion.slice(1).map(([a]) => a)).toEqual(test.slice(1).map(([s]) => s));
    const correct = confusion.slice(1).filter(([a, p]) => a === p).length;
    expect(metrics.accuracy).toBeCloseTo(correct / (test.length - 1), 6);
  });

  it("write byte-identical outputs for the same inputs, in any folder", async () => {
    const a = copyTemplate();
    const b = copyTemplate();
    await runStages(a.project);
    await runStages(b.project);
    const first = snapshot(a.project);
    expect(snapshot(b.project)).toEqual(first);
    await runStages(a.project);
    expect(snapshot(a.project)).toEqual(first);
  });

  it("a changed train.lr changes model, loss and metrics but not the data", async () => {
    const { project } = copyTemplate();
    await runStages(project);
    const before = snapshot(project);
    setParam(project, "train.lr", "0.3");
    await runStages(project);
    const after = snapshot(project);
    for (const p of ["data/raw/penguins.csv", "data/train.csv", "data/test.csv"]) expect(after[p]).toEqual(before[p]);
    for (const p of ["model.json", "plots/loss.csv", "metrics.json"]) expect(after[p]).not.toEqual(before[p]);
  });

  it("a changed split.seed changes the split", async () => {
    const { project } = copyTemplate();
    await runStages(project, ["download", "split"]);
    const before = readFileSync(join(project, "data/test.csv"));
    setParam(project, "split.seed", "1");
    await runStages(project, ["split"]);
    expect(readFileSync(join(project, "data/test.csv"))).not.toEqual(before);
  });

  it("resolves file:rel/path against the project folder, even inside a larger repo (DVC_ROOT above it)", async () => {
    const { root, project } = copyTemplate("examples/penguins");
    const r = await runStage(project, "download", root);
    expect(r.code).toBe(0);
    expect(readFileSync(join(project, "data/raw/penguins.csv"))).toEqual(readFileSync(join(project, DATASET)));
  });

  it("downloads from an absolute file:/// URL and over http://", async () => {
    const { project } = copyTemplate();
    const dataset = readFileSync(join(project, DATASET));
    const raw = (): Buffer => readFileSync(join(project, "data/raw/penguins.csv"));

    setParam(project, "download.url", pathToFileURL(join(project, DATASET)).href);
    expect((await runStage(project, "download")).code).toBe(0);
    expect(raw()).toEqual(dataset);

    // Served: the same rows in reverse order, so the bytes prove where they came from.
    const [head, ...rows] = dataset.toString("utf8").trimEnd().split("\n");
    const served = Buffer.from(`${[head, ...rows.reverse()].join("\n")}\n`);
    const auth: string[] = [];
    const base = await serve({ "/data/penguins.csv": served }, auth);
    setParam(project, "download.url", `${base}/data/penguins.csv`);
    const r = await runStage(project, "download");
    expect(r.code, r.stderr).toBe(0);
    expect(raw()).toEqual(served);
    expect(auth).toEqual([""]);

    // user:password@ in the URL goes out as Basic authentication (fetch refuses it in the URL).
    setParam(project, "download.url", base.replace("//", "//reader:s%3Acret@") + "/data/penguins.csv");
    expect((await runStage(project, "download")).code).toBe(0);
    expect(auth[1]).toBe(`Basic ${Buffer.from("reader:s:cret").toString("base64")}`);
    await runStages(project, ["split", "train", "evaluate"]);
    const metrics = JSON.parse(readFileSync(join(project, "metrics.json"), "utf8")) as { accuracy: number };
    expect(metrics.accuracy).toBeGreaterThan(0.9);
  });

  describe("fail with exit 1 and a one-line message naming the problem", () => {
    const fails = async (project: string, stage: Parameters<typeof runStage>[1], ...needles: string[]) => {
      const r = await runStage(project, stage);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^${stage}: error: `));
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1); // no stack trace for expected failures
      for (const n of needles) expect(r.stderr).toContain(n);
    };

    it("unreachable, missing or refused downloads", async () => {
      const { project } = copyTemplate();
      const base = await serve({ "/other.csv": "a,b\n1,2\n" });
      const refused = await closedPort();
      setParam(project, "download.url", `${base}/missing.csv`);
      await fails(project, "download", "404");
      setParam(project, "download.url", `${base}/other.csv`);
      await fails(project, "download", "species");
      setParam(project, "download.url", `http://127.0.0.1:${refused}/penguins.csv`);
      await fails(project, "download", "ECONNREFUSED");
      setParam(project, "download.url", `http://user:hunter2@127.0.0.1:${refused}/penguins.csv`);
      const r = await runStage(project, "download");
      expect(r.code).toBe(1);
      expect(r.stderr).not.toContain("hunter2");
      setParam(project, "download.url", "http://[::1");
      await fails(project, "download", "not a valid URL");
      setParam(project, "download.url", "file:dataset/nope.csv");
      await fails(project, "download", "nope.csv");
      setParam(project, "download.url", "ftp://example.invalid/x.csv");
      await fails(project, "download", "download.url");
    });

    it("missing or invalid params and missing inputs", async () => {
      const { project } = copyTemplate();
      await fails(project, "split", "data/raw/penguins.csv");
      await runStages(project, ["download", "split"]);
      setParam(project, "train.lr", null);
      await fails(project, "train", "train.lr");
      setParam(project, "train.epochs", "many");
      await fails(project, "train", "train.epochs");
      setParam(project, "split.test_size", "1.5");
      await fails(project, "split", "split.test_size");
      await fails(project, "evaluate", "model.json");
    });
  });
});
