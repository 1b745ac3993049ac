// Deadlines for the renderer's calls into Chromium: nothing waits for longer than it was given.

export const noop = () => {};

/** Something that can die mid-call (a browser): it fails the calls registered in onDeath when it does. */
export interface DeathWatch {
  readonly onDeath: Set<(err: Error) => void>;
}

/** Resolves/rejects like `work`, or rejects with onTimeout() after ms; the loser's late result is swallowed. */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error, slot?: DeathWatch): Promise<T> {
  work.catch(noop);
  return new Promise<T>((resolve, reject) => {
    const abort = (err: Error) => (done(), reject(err));
    const timer = setTimeout(() => abort(onTimeout()), ms);
    // Puppeteer rejects pending calls when the browser goes away; this makes it certain and immediate.
    slot?.onDeath.add(abort);
    function done() {
      clearTimeout(timer);
      slot?.onDeath.delete(abort);
    }
    work.then(
      (v) => (done(), resolve(v)),
      (e: unknown) => (done(), reject(e)),
    );
  });
}
