// Stage `split`: drops the rows with a missing label or feature, then holds out `split.test_size` of each
// species (a seeded, stratified shuffle) as the test set. Writes data/train.csv and data/test.csv with the
// label and the feature columns, rows in their original order and values exactly as in the raw file.
import {
  FEATURES,
  LABEL,
  StageError,
  columns,
  numberParam,
  readCsv,
  readParams,
  rng,
  runStage,
  writeOut,
} from "./common.mjs";

const IN = "data/raw/penguins.csv";

runStage("split", () => {
  const params = readParams();
  const seed = numberParam(params, "split.seed", { integer: true, min: 0, max: 2 ** 32 - 1 });
  const testSize = numberParam(params, "split.test_size", { min: 0, max: 1, exclusive: true });

  const { header, rows } = readCsv(IN);
  const idx = columns(header, [LABEL, ...FEATURES], IN);
  const kept = rows.map((r) => idx.map((i) => r[i])).filter((cells) => cells.every(present));
  for (const cells of kept) {
    const bad = cells.findIndex((c, k) => k > 0 && !Number.isFinite(Number(c)));
    if (bad > 0) throw new StageError(`${IN}: ${FEATURES[bad - 1]} "${cells[bad]}" is not a number`);
  }
  if (kept.length === 0) throw new StageError(`${IN} has no complete rows`);

  const byClass = new Map();
  kept.forEach((cells, i) => byClass.set(cells[0], [...(byClass.get(cells[0]) ?? []), i]));
  const random = rng(seed);
  const inTest = new Set();
  for (const label of [...byClass.keys()].sort()) {
    const members = shuffle(byClass.get(label), random);
    const nTest = Math.round(members.length * testSize);
    if (nTest === 0 || nTest === members.length) {
      throw new StageError(
        `split.test_size ${testSize} leaves no ${nTest === 0 ? "test" : "training"} rows of "${label}"`,
      );
    }
    members.slice(0, nTest).forEach((i) => inTest.add(i));
  }

  const csv = (pick) =>
    [[LABEL, ...FEATURES], ...kept.filter((_, i) => pick(i))].map((c) => `${c.join(",")}\n`).join("");
  writeOut(
    "data/train.csv",
    csv((i) => !inTest.has(i)),
  );
  writeOut(
    "data/test.csv",
    csv((i) => inTest.has(i)),
  );
  const dropped = rows.length - kept.length;
  const sizes = `${kept.length - inTest.size} train, ${inTest.size} test`;
  process.stdout.write(`split: ${kept.length} rows (${dropped} incomplete dropped) -> ${sizes}\n`);
});

function present(cell) {
  return cell !== "" && cell !== "NA";
}

/** Fisher–Yates shuffle of a copy, driven by the seeded generator. */
function shuffle(items, random) {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
