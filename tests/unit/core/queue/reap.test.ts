// Which processes the queue may signal (src/core/queue/reap.ts): a recorded worker pid is signalled only while the
// process there carries the task's token in its environment (after a reboot the pid may belong to anything).
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { isTaggedWorker, taggedProcesses, TASK_ENV } from "../../../../src/core/queue/reap.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

function sleeper(env: Record<string, string> = {}): number {
  const c = spawn("sleep", ["30"], { stdio: "ignore", env: { ...process.env, ...env } });
  children.push(c);
  return c.pid!;
}

describe("queue worker identity", () => {
  it("a live pid is our worker only with the task's token in its environment", async () => {
    const token = `t${process.pid}.${Date.now()}`;
    const ours = sleeper({ [TASK_ENV]: token });
    const other = sleeper({ [TASK_ENV]: `${token}x` });
    const plain = sleeper();
    await new Promise((res) => setTimeout(res, 100)); // exec done: /proc shows the new environment
    expect(isTaggedWorker(ours, token)).toBe(true);
    expect(isTaggedWorker(other, token)).toBe(false);
    expect(isTaggedWorker(plain, token)).toBe(false);
    expect(taggedProcesses(token)).toEqual([ours]);
    children.find((c) => c.pid === ours)!.kill("SIGKILL");
    await new Promise((res) => setTimeout(res, 100));
    expect(isTaggedWorker(ours, token)).toBe(false);
  });
});
