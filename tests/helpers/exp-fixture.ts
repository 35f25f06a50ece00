// The project of docs/formats.md §11.2's example: one stage `train` (deps data.csv and train.py, params lr and
// train.epochs, out model.pkl, metrics.json not cached), and its files for given values.
export const DVC_YAML = `stages:
  train:
    cmd: python train.py
    deps:
      - data.csv
      - train.py
    params:
      - lr
      - train.epochs
    outs:
      - model.pkl
    metrics:
      - metrics.json:
          cache: false
`;
export const DATA_MD5 = "60b725f10c9c85c70d97880dfe8191b3";
export const TRAIN_MD5 = "85dcfdd29b320edbcfbfdf4936a0e2bc";

export const lock = (lr: string, model = "3c4d5e6f708192a3b4c5d6e7f8091a2b"): string => `schema: '2.0'
stages:
  train:
    cmd: python train.py
    deps:
    - path: data.csv
      hash: md5
      md5: ${DATA_MD5}
      size: 8
    - path: train.py
      hash: md5
      md5: ${TRAIN_MD5}
      size: 15
    params:
      params.yaml:
        lr: ${lr}
        train.epochs: 10
    outs:
    - path: model.pkl
      hash: md5
      md5: ${model}
      size: 10
    - path: metrics.json
      hash: md5
      md5: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
      size: 49
`;
export const params = (lr: string, epochs = 10): string => `lr: ${lr}\ntrain:\n  epochs: ${epochs}\n`;
export const metrics = (acc: number, train = 0.1, val = 0.2): string =>
  JSON.stringify({ acc, loss: { train, val } }) + "\n";
