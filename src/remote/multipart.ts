// Pure helpers for multipart uploads: part sizing within S3's limits and a small bounded worker pool.

const MiB = 1024 * 1024;
export const MAX_PARTS = 10_000;
export const MIN_PART_SIZE = 5 * MiB;

export interface PartPlan {
  /** 1-based S3 part number. */
  partNumber: number;
  /** First byte (inclusive). */
  start: number;
  /** Last byte (inclusive), as fs.createReadStream's `end`. */
  end: number;
  length: number;
}

/** max(chunksize, ceil(size / 10,000) rounded up to a whole MiB), never below S3's 5 MiB minimum. */
export function choosePartSize(size: number, chunksize: number): number {
  const needed = Math.ceil(Math.ceil(size / MAX_PARTS) / MiB) * MiB;
  return Math.max(chunksize, needed, MIN_PART_SIZE);
}

export function planParts(size: number, partSize: number): PartPlan[] {
  const parts: PartPlan[] = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++) {
    const length = Math.min(partSize, size - start);
    parts.push({ partNumber: n, start, end: start + length - 1, length });
  }
  return parts;
}
