// A pipeline of the shape of DVC's get-started example (prepare → featurize → train → evaluate, params per stage,
// a .dvc-tracked input, a cached eval/ directory with metrics.json and plots), written in shell so CI needs no
// Python ML stack. It reproduces under dvx; a param change re-runs only the stages using it and what follows;
// dvc.lock is checked against a lock built here from independently computed hashes, in DVC's layout (key order,
// sizes, nfiles, isexec, floats as Python writes them); a DVC 2-style entry of an unchanged stage is kept as is.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { countLines, runBuilt } from "../helpers/pipeline.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const md5 = (b: Buffer | string): string => createHash("md5").update(b).digest("hex");

// data.xml with Windows line ends: its DVC 2 (dos2unix) MD5 differs from its DVC 3 one
const DATA_XML =
  "<?xml version='1.0' encoding='utf-8'?>\r\n<posts>\r\n" +
  Array.from(
    { length: 40 },
    (_, i) => `  <row Id="${i}" Tags="${i % 3 === 0 ? "r" : "py"}" Body="post ${i}"/>\r\n`,
  ).join("") +
  "</posts>\r\n";

const PARAMS = `prepare:
  split: 0.20
  seed: 20170428

featurize:
  max_features: 100
  ngrams: 1

train:
  seed: 20170428
  n_est: 50
  min_split: 0.01
  lr: 1.0

evaluate:
  tol: 0.00001
`;

const DVC_YAML = `stages:
  prepare:
    cmd: ./src/prepare.sh data/data.xml \${prepare.split} \${prepare.seed}
    deps:
    - data/data.xml
    - src/prepare.sh
    params:
    - prepare.seed
    - prepare.split
    outs:
    - data/prepared
  featurize:
    cmd: ./src/featurize.sh data/prepared data/features
    deps:
    - data/prepared
    - src/featurize.sh
    params:
    - featurize.max_features
    - featurize.ngrams
    outs:
    - data/features
  train:
    cmd: ./src/train.sh data/features model.pkl
    deps:
    - data/features
    - src/train.sh
    params:
    - train.seed
    - train.n_est
    - train.min_split
    - train.lr
    outs:
    - model.pkl
  evaluate:
    cmd: ./src/evaluate.sh model.pkl data/features
    deps:
    - data/features
    - model.pkl
    - src/evaluate.sh
    params:
    - evaluate.tol
    outs:
    - eval
metrics:
- eval/metrics.json
plots:
- ROC:
    template: simple
    x: fpr
    y:
      eval/plots/sklearn/roc/train.json: tpr
- eval/importance.png
`;

// Each script appends its name to runs.log (how many times each stage ran) and reads params.yaml as the real
// scripts do (here with grep), so outputs follow the params.
const SCRIPTS: Record<string, string> = {
  "src/prepare.sh": `#!/bin/sh
echo prepare >> runs.log
mkdir -p data/prepared
grep '<row' "$1" | tr -d '\\r' | awk -v s="$2" -v seed="$3" 'NR % 5 == 0 { print > "data/prepared/test.tsv"; next } { print > "data/prepared/train.tsv" }'
`,
  "src/featurize.sh": `#!/bin/sh
echo featurize >> runs.log
mkdir -p "$2"
mf=$(grep 'max_features' params.yaml | awk '{print $2}')
for part in train test; do head -c 300 "$1/$part.tsv" | tr 'a-z' 'A-Z' > "$2/$part.pkl"; echo "mf=$mf" >> "$2/$part.pkl"; done
`,
  "src/train.sh": `#!/bin/sh
echo train >> runs.log
n=$(grep 'n_est' params.yaml | awk '{print $2}')
cat "$1/train.pkl" > "$2"; echo "n_est=$n" >> "$2"
`,
  "src/evaluate.sh": `#!/bin/sh
echo evaluate >> runs.log
mkdir -p eval/plots/sklearn/roc
size=$(wc -c < "$1")
printf '{"avg_prec": {"train": 0.9, "test": 0.8}, "roc_auc": {"train": 0.95, "test": %s}}\\n' "0.$size" > eval/metrics.json
printf '{"roc": [{"fpr": 0.0, "tpr": 0.0}, {"fpr": 1.0, "tpr": 1.0}]}\\n' > eval/plots/sklearn/roc/train.json
printf '\\211PNG\\r\\n\\032\\n%s' "$size" > eval/importance.png
`,
};

async function getStarted(): Promise<TmpRepo> {
  const r = await makeRepo({
    files: { "data/data.xml": DATA_XML, "params.yaml": PARAMS, "dvc.yaml": DVC_YAML, ...SCRIPTS },
  });
  const add = await runBuilt(r.dir, ["add", "data/data.xml"]);
  expect(add.code, add.stderr).toBe(0);
  r.commit("get started");
  return r;
}

const runs = (r: TmpRepo, stage: string): number =>
  countLines(join(r.dir, "runs.log")) === 0
    ? 0
    : r
        .read("runs.log")
        .split("\n")
        .filter((l) => l === stage).length;

/** DVC's lock item of a workspace file, from its bytes (a script gets isexec). */
function fileItem(r: TmpRepo, path: string): string {
  const abs = join(r.dir, path);
  const buf = readFileSync(abs);
  const exec = (statSync(abs).mode & 0o111) !== 0;
  return `    - path: ${path}\n      hash: md5\n      md5: ${md5(buf)}\n      size: ${buf.length}\n${exec ? "      isexec: true\n" : ""}`;
}

/** DVC's lock item of a workspace directory: the .dir manifest as json.dumps(sort_keys=True) writes it. */
function dirItem(r: TmpRepo, path: string): string {
  const root = join(r.dir, path);
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(root, p).split(sep).join("/"));
    }
  };
  walk(root);
  files.sort();
  const entries = files.map((f) => `{"md5": "${md5(readFileSync(join(root, f)))}", "relpath": "${f}"}`);
  const size = files.reduce((n, f) => n + statSync(join(root, f)).size, 0);
  return (
    `    - path: ${path}\n      hash: md5\n      md5: ${md5(`[${entries.join(", ")}]`)}.dir\n` +
    `      size: ${size}\n      nfiles: ${files.length}\n`
  );
}

/** The dvc.lock DVC writes for this pipeline in its current state. */
function expectedLock(r: TmpRepo, p = { split: "0.2", maxFeatures: "100", nEst: "50" }): string {
  return (
    "schema: '2.0'\nstages:\n" +
    `  prepare:\n    cmd: ./src/prepare.sh data/data.xml ${p.split} 20170428\n    deps:\n` +
    fileItem(r, "data/data.xml") +
    fileItem(r, "src/prepare.sh") +
    `    params:\n      params.yaml:\n        prepare.seed: 20170428\n        prepare.split: ${p.split}\n    outs:\n` +
    dirItem(r, "data/prepared") +
    "  featurize:\n    cmd: ./src/featurize.sh data/prepared data/features\n    deps:\n" +
    dirItem(r, "data/prepared") +
    fileItem(r, "src/featurize.sh") +
    `    params:\n      params.yaml:\n        featurize.max_features: ${p.maxFeatures}\n        featurize.ngrams: 1\n` +
    "    outs:\n" +
    dirItem(r, "data/features") +
    "  train:\n    cmd: ./src/train.sh data/features model.pkl\n    deps:\n" +
    dirItem(r, "data/features") +
    fileItem(r, "src/train.sh") +
    "    params:\n      params.yaml:\n        train.lr: 1.0\n        train.min_split: 0.01\n" +
    `        train.n_est: ${p.nEst}\n        train.seed: 20170428\n    outs:\n` +
    fileItem(r, "model.pkl") +
    "  evaluate:\n    cmd: ./src/evaluate.sh model.pkl data/features\n    deps:\n" +
    dirItem(r, "data/features") +
    fileItem(r, "model.pkl") +
    fileItem(r, "src/evaluate.sh") +
    "    params:\n      params.yaml:\n        evaluate.tol: 1e-05\n    outs:\n" +
    dirItem(r, "eval")
  );
}

interface ReproJson {
  stages: Array<{ stage: string; action: string }>;
}
const acted = (stdout: string): string[] =>
  (JSON.parse(stdout) as ReproJson).stages.filter((s) => s.action !== "unchanged").map((s) => s.stage);

describe("a get-started shaped pipeline", () => {
  it("reproduces, with the dvc.lock DVC writes, and is then up to date", async () => {
    const r = await getStarted();
    const res = await runBuilt(r.dir, ["repro", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    expect(acted(res.stdout)).toEqual(["prepare", "featurize", "train", "evaluate"]);
    expect(r.read("dvc.lock")).toBe(expectedLock(r));
    expect(r.read("eval/metrics.json")).toContain('"avg_prec"');
    const st = await runBuilt(r.dir, ["status", "--json"]);
    expect(JSON.parse(st.stdout)).toEqual({});
    const again = await runBuilt(r.dir, ["repro", "--json"]);
    expect(acted(again.stdout)).toEqual([]);
    // .gitignore lines for the cached outputs, as DVC writes them
    expect(r.read(".gitignore").split("\n").filter(Boolean).sort()).toEqual(["/eval", "/model.pkl"]);
    expect(r.read("data/.gitignore").split("\n").filter(Boolean).sort()).toEqual([
      "/data.xml",
      "/features",
      "/prepared",
    ]);
  });

  it("re-runs only the stages that use a changed param, and what follows them", async () => {
    const r = await getStarted();
    expect((await runBuilt(r.dir, ["repro"])).code).toBe(0);
    const counts = (): number[] => ["prepare", "featurize", "train", "evaluate"].map((s) => runs(r, s));
    expect(counts()).toEqual([1, 1, 1, 1]);

    r.write({ "params.yaml": PARAMS.replace("n_est: 50", "n_est: 60") });
    const dry = await runBuilt(r.dir, ["repro", "--dry", "--json"]);
    expect(acted(dry.stdout)).toEqual(["train", "evaluate"]);
    const t = await runBuilt(r.dir, ["repro", "--json"]);
    expect(acted(t.stdout)).toEqual(["train", "evaluate"]);
    expect(counts()).toEqual([1, 1, 2, 2]);
    expect(r.read("dvc.lock")).toBe(expectedLock(r, { split: "0.2", maxFeatures: "100", nEst: "60" }));

    r.write({
      "params.yaml": PARAMS.replace("n_est: 50", "n_est: 60").replace("max_features: 100", "max_features: 7"),
    });
    const f = await runBuilt(r.dir, ["repro", "--json"]);
    expect(acted(f.stdout)).toEqual(["featurize", "train", "evaluate"]);
    expect(counts()).toEqual([1, 2, 3, 3]);

    // a param nobody uses changes nothing; a value written differently (0.20 → 0.2) is the same value
    r.write({
      "params.yaml": PARAMS.replace("n_est: 50", "n_est: 60")
        .replace("max_features: 100", "max_features: 7")
        .replace("split: 0.20", "split: 0.2")
        .concat("unused: 1\n"),
    });
    const none = await runBuilt(r.dir, ["repro", "--json"]);
    expect(acted(none.stdout)).toEqual([]);
    expect(counts()).toEqual([1, 2, 3, 3]);
  });

  it("a change to the .dvc-tracked input saves it and re-runs what it changes (not past an identical output)", async () => {
    const r = await getStarted();
    expect((await runBuilt(r.dir, ["repro"])).code).toBe(0);
    const more = DATA_XML.replace("</posts>", '  <row Id="99" Tags="r" Body="new"/>\r\n</posts>');
    r.write({ "data/data.xml": more });
    const res = await runBuilt(r.dir, ["repro", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    // featurize reads the first 300 bytes of train.tsv, which the new last row does not change: its output is the
    // same, so train and evaluate have nothing to do
    expect(acted(res.stdout)).toEqual(["data/data.xml.dvc", "prepare", "featurize"]);
    expect(runs(r, "train")).toBe(1);
    expect(r.read("data/data.xml.dvc")).toContain(`md5: ${md5(more)}`);
    expect(r.read("dvc.lock")).toBe(expectedLock(r));
    const st = await runBuilt(r.dir, ["status", "--json"]);
    expect(JSON.parse(st.stdout)).toEqual({});
  });

  it("keeps a DVC 2-style entry (no hash, dos2unix MD5) of an unchanged stage byte for byte", async () => {
    const r = await getStarted();
    expect((await runBuilt(r.dir, ["repro"])).code).toBe(0);
    // rewrite prepare's entry as DVC 2 wrote it: no `hash: md5`, dos2unix MD5s (data.xml has CRLF line ends);
    // DVC 2 kept its objects at .dvc/cache/<2>/<30> (the outputs' files have LF ends: same MD5 both ways)
    const lock = r.read("dvc.lock");
    const prepStart = lock.indexOf("  prepare:\n");
    const prepEnd = lock.indexOf("  featurize:\n");
    const legacy = lock
      .slice(prepStart, prepEnd)
      .replaceAll("      hash: md5\n", "")
      .replace(md5(DATA_XML), md5(DATA_XML.replaceAll("\r\n", "\n")));
    expect(legacy).not.toContain(md5(DATA_XML));
    r.write({ "dvc.lock": lock.slice(0, prepStart) + legacy + lock.slice(prepEnd) });
    const files = join(r.dir, ".dvc/cache/files/md5");
    for (const fan of readdirSync(files)) {
      mkdirSync(join(r.dir, ".dvc/cache", fan), { recursive: true });
      for (const o of readdirSync(join(files, fan)))
        copyFileSync(join(files, fan, o), join(r.dir, ".dvc/cache", fan, o));
    }
    const written = r.read("dvc.lock");
    const st = await runBuilt(r.dir, ["status", "--json"]);
    expect(JSON.parse(st.stdout)).toEqual({});

    r.write({ "params.yaml": PARAMS.replace("tol: 0.00001", "tol: 0.001") });
    const res = await runBuilt(r.dir, ["repro", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    expect(acted(res.stdout)).toEqual(["evaluate"]);
    const after = r.read("dvc.lock");
    expect(after.slice(0, after.indexOf("  evaluate:\n"))).toBe(written.slice(0, written.indexOf("  evaluate:\n")));
    expect(after).toContain("evaluate.tol: 0.001\n");

    // a re-run of prepare itself (changed param) keeps the unchanged legacy dep legacy, as DVC 3 does
    r.write({ "params.yaml": PARAMS.replace("tol: 0.00001", "tol: 0.001").replace("split: 0.20", "split: 0.25") });
    const again = await runBuilt(r.dir, ["repro", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(acted(again.stdout)[0]).toBe("prepare");
    const prep = r.read("dvc.lock").slice(0, r.read("dvc.lock").indexOf("  featurize:\n"));
    expect(prep).toContain(
      `    - path: data/data.xml\n      md5: ${md5(DATA_XML.replaceAll("\r\n", "\n"))}\n      size: ${DATA_XML.length}\n`,
    );
    expect(prep).toContain("prepare.split: 0.25\n");
  });
});
