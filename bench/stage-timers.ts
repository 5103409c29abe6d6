/** Named CPU-time accumulators for benchmark breakdowns (median of 3 passes per stage). */
export function stageTimers(cpuSeconds: () => number) {
  const totals = new Map<string, number>();
  return {
    time(name: string, fn: () => void): number {
      const passes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = cpuSeconds();
        fn();
        passes.push(cpuSeconds() - t);
      }
      const med = passes.sort((a, b) => a - b)[1];
      totals.set(name, med);
      return med;
    },
    entries: () => totals.entries(),
  };
}
