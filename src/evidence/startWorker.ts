/** The evidence worker, as Vite bundles it (its own file in the build, loaded on first use). */
export function startEvidenceWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
}
