/** A one-line progress bar on a TTY; a line every 10 % when piped (e.g. under npm start). */
export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
) {
  const started = Date.now();
  let lastDecile = -1;
  return (done: number, note = ''): void => {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
    const text = `${label} ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total} ${rate.toFixed(1)}/s ${note}`;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      stream.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${text}\x1b[K`);
      if (done >= total) stream.write('\n');
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      stream.write(`${text}\n`);
    }
  };
}
