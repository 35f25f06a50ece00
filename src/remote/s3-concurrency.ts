// How many transfers an S3 remote runs at once, and how its large objects are held to a memory budget. Pure (no
// SDK, no machine lookups: s3.ts passes the machine's memory in), pinned by tests/remote/remote-units.test.ts.
//
// Objects in flight: -j, else remote.<name>.jobs, else S3_DEFAULT_JOBS = 64, whatever the number of cores. A
// request to object storage spends its time waiting for the network and the server, not for our CPU, so what
// matters is how many requests it takes to hide that wait: DVC's 4 x cores (8 on a 2-core machine) left dvx at
// 60-77% of a plain 64-connection SDK loop on 100k small objects against a nearby S3 server; 64 reach the loop's
// rate (bench/remote.mjs s3). Such objects cost little memory each: up to 1 MiB is held whole, more is streamed
// through 1 MiB reads, so 64 of them stay within ~64-128 MiB.
//
// Large objects (from multipart_threshold up) move in parts, and parts are what fills memory: a ranged download
// holds each part in flight until it is written, a multipart upload up to two 1 MiB reads per part in flight.
// Each large transfer first reserves that memory (downloadParts x part size, or uploadMemory) from a budget of
// 1/64 of the machine's RAM within 64-128 MiB (largeTransferBudget), and waits while it does not fit. With the
// default 16 MiB parts a single object keeps its 4 (download) or 8 (upload) parts in flight on any machine, and
// with 8 GB of RAM or more 2 downloads or 8 uploads run at a time. -j does not lift the budget.

const MiB = 1024 * 1024;

/** Objects in flight when neither -j nor remote.<name>.jobs is set. */
export const S3_DEFAULT_JOBS = 64;
/** Read size of streamed uploads (the default 64 KiB means 16x the reads and events). */
export const STREAM_CHUNK = MiB;
/** Parts of one multipart upload in flight. */
export const UPLOAD_PARTS_IN_FLIGHT = 8;
/** Most parts of one ranged download in flight (each held in memory until written). */
export const DOWNLOAD_PARTS_IN_FLIGHT = 4;

/** Bytes all large transfers together may hold: 1/64 of the machine's memory, within 64-128 MiB. */
export function largeTransferBudget(totalMemory: number): number {
  return Math.min(128 * MiB, Math.max(64 * MiB, Math.floor(totalMemory / 64)));
}

/** Parts of one ranged download in flight: as many of `partSize` as fit the budget, 1 to DOWNLOAD_PARTS_IN_FLIGHT. */
export function downloadParts(partSize: number, budget: number): number {
  return Math.max(1, Math.min(DOWNLOAD_PARTS_IN_FLIGHT, Math.floor(budget / partSize)));
}

/** Bytes one multipart upload reserves from the budget: up to two reads of STREAM_CHUNK per part in flight. */
export function uploadMemory(partsInFlight: number): number {
  return partsInFlight * 2 * STREAM_CHUNK;
}
