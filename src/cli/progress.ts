// A progress bar on stderr: redrawn in place on a terminal, every 10% otherwise (CI logs).
export function progressBar(label: string, out: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  const start = performance.now();
  let lastDecile = -1;
  return (done, total) => {
    const frac = total ? done / total : 1;
    const secs = (performance.now() - start) / 1000;
    const rate = secs > 0 ? Math.round(done / secs) : 0;
    if (out.isTTY) {
      const width = 30;
      const filled = Math.round(frac * width);
      out.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total} ${rate}/s`);
      if (done >= total) out.write('\n');
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        out.write(`${label}: ${(frac * 100).toFixed(0)}% (${done}/${total}, ${rate}/s)\n`);
      }
    }
  };
}
