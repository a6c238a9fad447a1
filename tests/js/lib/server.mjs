// Starts the real streamlab binary for a test file: a free port, a fresh data dir, health polled
// over HTTP/1.1, stopped with SIGTERM (and the data dir removed) when the file's tests end.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.STREAMLAB_BIN || resolve(here, "../../../build/streamlab");
export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";

export async function freePort() {
  const srv = net.createServer();
  await new Promise((ok) => srv.listen(0, "127.0.0.1", ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return port;
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Polls `probe` until it returns something truthy (that value is returned), or fails the test.
export async function until(what, probe, { timeoutMs = 5000, everyMs = 25 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// One running server. `extraArgs` are added to `streamlab serve` (e.g. ["--throttle", "off"]);
// `stateDelayMs` is how long CREATING/UPDATING/DELETING last (0: streams are ACTIVE at once).
export class Server {
  constructor({ extraArgs = [], dataDir, stateDelayMs = 0 } = {}) {
    this.extraArgs = extraArgs;
    this.stateDelayMs = stateDelayMs;
    this.dataDir = dataDir;
    this.ownsDataDir = !dataDir;
    this.log = "";
    this.process = null;
  }

  async start() {
    if (!this.port) this.port = await freePort();
    if (!this.dataDir) this.dataDir = mkdtempSync(join(tmpdir(), "streamlab-js-"));
    this.endpoint = `http://127.0.0.1:${this.port}`;
    this.process = spawn(BIN, ["serve", "--port", String(this.port), "--data-dir", this.dataDir,
      "--state-delay-ms", String(this.stateDelayMs), ...this.extraArgs], { stdio: ["ignore", "pipe", "pipe"] });
    this.process.stdout.on("data", (d) => (this.log += d));
    this.process.stderr.on("data", (d) => (this.log += d));
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`streamlab exited (${this.process.exitCode}): ${this.log}`);
      try {
        if ((await fetch(`${this.endpoint}/_streamlab/health`)).ok) return this;
      } catch {
        // not listening yet
      }
      await sleep(20);
    }
    throw new Error(`streamlab did not become healthy: ${this.log}`);
  }

  // The client configuration every SDK client of these tests shares.
  clientConfig(extra = {}) {
    return {
      endpoint: this.endpoint,
      region: REGION,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
      ...extra,
    };
  }

  // Returns the exit code (null when a signal ended the process, e.g. SIGKILL).
  async stop(signal = "SIGTERM") {
    let code = this.process?.exitCode ?? null;
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((ok) => this.process.once("exit", ok));
      this.process.kill(signal);
      code = await exited;
    }
    this.process = null;
    return code;
  }

  // kill -9 then start again on the same port and data dir (durability tests).
  async crashAndRestart() {
    await this.stop("SIGKILL");
    return this.start();
  }

  async dispose() {
    await this.stop();
    if (this.ownsDataDir && this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// Starts one server; a test file calls it in before() and dispose()s it in after().
export async function startServer(options) {
  return new Server(options).start();
}
