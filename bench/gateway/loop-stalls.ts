/**
 * Preloaded into a diagnostic gateway (`node --import tsx --import ./bench/gateway/loop-stalls.ts`): a 1 ms
 * timer notes every event-loop turn that took longer than BENCH_STALL_MS (2 ms) and how much CPU
 * the process (all its threads) used meanwhile, as `epochMs gapMs cpuMs` lines appended to
 * BENCH_STALL_FILE. A stall with CPU near its length was the gateway's own work (JavaScript or
 * garbage collection); one with little CPU is time the process was ready to run but not running,
 * waiting for a CPU that other processes held. The timer costs CPU itself, so only a gateway that
 * is not otherwise measured carries it.
 */
import fs from "node:fs";

const threshold = Number(process.env.BENCH_STALL_MS ?? 2);
const fd = fs.openSync(process.env.BENCH_STALL_FILE ?? "loop-stalls.txt", "a");
let last = performance.now();
let lastCpu = process.cpuUsage();
setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  const gap = now - last;
  if (gap > threshold) {
    const used = (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000;
    fs.writeSync(fd, `${Date.now()} ${gap.toFixed(2)} ${used.toFixed(2)}\n`);
  }
  last = now;
  lastCpu = cpu;
}, 1).unref();
