/**
 * The worker threads of a ParallelTrainer: started from the worker entry next to this module
 * (worker.js under dist/; from source, worker.ts through tsx), one request in flight
 * each. A worker's error, or its death, rejects its request with the worker's message, so a
 * step fails instead of hanging. Between requests the workers are unref'd: an idle pool never
 * keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { UserError } from '../../diagnostics/index.js';
import type { Reply, Request } from './protocol.js';

/** How to start a worker: a module URL, or (from source) a script that loads one. */
export type WorkerEntry = { url: URL } | { script: string };

/** The worker entry next to this module: worker.js under dist/; from source, worker.ts through tsx. */
export function workerEntry(): WorkerEntry {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./worker.js', import.meta.url) };
  // Node 20 applies no --import hooks to a worker's entry (nodejs/node#47747), so a plain script
  // registers tsx's loader in the worker first and then imports the TypeScript entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./worker.ts', import.meta.url).href;
  return {
    script: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`,
  };
}

/** A worker's failure as the main thread raises it: the worker's message, and a UserError stays one. */
function workerFailure(index: number, reply: { name: string; message: string; stack?: string }): Error {
  if (reply.name === 'UserError') return new UserError(reply.message);
  const e = new Error(`worker ${index}: ${reply.message}`);
  if (reply.stack) e.stack = `${e.name}: ${e.message}\n(in the worker) ${reply.stack}`;
  return e;
}

interface Slot {
  worker: Worker;
  pending?: { resolve(r: Reply): void; reject(e: Error): void };
  /** Set once the worker has failed or exited: every later request gets it. */
  failed?: Error;
}

export class WorkerPool {
  private constructor(private readonly slots: Slot[]) {}

  /** Starts `count` workers and initialises worker k with `init(k)`; rejects (with every worker stopped) if one fails. */
  static async start(
    count: number,
    init: (k: number) => Request,
    entry: WorkerEntry = workerEntry(),
  ): Promise<WorkerPool> {
    const slots = Array.from({ length: count }, (_, i) => WorkerPool.spawn(i + 1, entry));
    const pool = new WorkerPool(slots);
    try {
      await Promise.all(slots.map((_, i) => pool.request(i, init(i))));
      return pool;
    } catch (e) {
      pool.terminate();
      throw e;
    }
  }

  private static spawn(index: number, entry: WorkerEntry): Slot {
    const worker = 'url' in entry ? new Worker(entry.url) : new Worker(entry.script, { eval: true });
    const slot: Slot = { worker };
    const fail = (e: Error): void => {
      slot.failed ??= e;
      const p = slot.pending;
      slot.pending = undefined;
      p?.reject(slot.failed);
    };
    worker.on('message', (reply: Reply) => {
      const p = slot.pending;
      slot.pending = undefined;
      worker.unref();
      if (!p) return;
      if (reply.type === 'error') p.reject(workerFailure(index, reply));
      else p.resolve(reply);
    });
    worker.on('error', (e) => fail(workerFailure(index, { name: e.name, message: e.message, stack: e.stack })));
    worker.on('exit', (code) => fail(new Error(`worker ${index} exited (code ${code}) before it replied`)));
    worker.unref();
    return slot;
  }

  /** How many workers. */
  get size(): number {
    return this.slots.length;
  }

  /** Sends `message` to worker i (transferring `transfer`) and resolves with its reply. */
  request(i: number, message: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const slot = this.slots[i]!;
    if (slot.failed) return Promise.reject(slot.failed);
    if (slot.pending) return Promise.reject(new Error(`worker ${i + 1} is busy`));
    return new Promise<Reply>((resolve, reject) => {
      slot.pending = { resolve, reject };
      // Ref'd while a reply is awaited: the process must not exit with a step unfinished.
      slot.worker.ref();
      slot.worker.postMessage(message, transfer);
    });
  }

  /** Stops every worker; their pending requests are rejected. */
  terminate(): void {
    for (const slot of this.slots) {
      slot.failed ??= new Error('the parallel trainer was stopped');
      void slot.worker.terminate();
    }
  }
}
