/** Runs tasks with at most `concurrency` at once, and at most `perKey` at once per key (e.g. per host). */
export async function runLimited<T>(
  items: readonly T[],
  opts: { concurrency: number; perKey: number; key: (item: T) => string },
  task: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const active = new Map<string, number>();
  let running = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (queue.length === 0 && running === 0) return resolve();
      for (let i = 0; i < queue.length && running < opts.concurrency; ) {
        const item = queue[i]!;
        const k = opts.key(item);
        if ((active.get(k) ?? 0) >= opts.perKey) {
          i++;
          continue;
        }
        queue.splice(i, 1);
        running++;
        active.set(k, (active.get(k) ?? 0) + 1);
        task(item)
          .then(
            () => undefined,
            (e: unknown) => reject(e),
          )
          .finally(() => {
            running--;
            active.set(k, (active.get(k) ?? 1) - 1);
            pump();
          });
      }
    };
    pump();
  });
}
