const COLOURS = [36, 33, 35, 32, 34, 91, 96, 93, 95];

/**
 * One readable line per JSON log line, prefixed by the app's name, so that the
 * interleaved output of many apps can be followed in one terminal.
 */
export function prefixer(name: string, index: number, width: number): (line: string) => string {
  const colour = process.stdout.isTTY ? COLOURS[index % COLOURS.length] : undefined;
  const label = name.padEnd(width);
  const tag = colour ? `\u001b[${colour}m${label}\u001b[0m` : label;
  return (line) => `${tag} | ${summarise(line)}`;
}

function summarise(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const {
      level,
      msg,
      time: _time,
      service: _service,
      pid: _pid,
      hostname: _host,
      req,
      res,
      ...rest
    } = entry;
    const extras = Object.entries(rest)
      .filter(([, value]) => value !== undefined && typeof value !== 'object')
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
    const http =
      req && typeof req === 'object'
        ? `${(req as { method?: string }).method} ${(req as { url?: string }).url} -> ${(res as { statusCode?: number } | undefined)?.statusCode ?? ''}`
        : '';
    return [
      String(level ?? '')
        .toUpperCase()
        .padEnd(5),
      msg,
      http,
      extras,
    ]
      .filter(Boolean)
      .join(' ');
  } catch {
    return line;
  }
}
