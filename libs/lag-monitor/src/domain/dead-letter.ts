/** The headers a replayed message carries: the originals, without the dlt.* bookkeeping. */
export function replayHeaders(
  headers: Readonly<Record<string, string>>,
  replay: { readonly from: string; readonly by: string; readonly at: string },
): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith('dlt.')));
  return { ...kept, 'replay.from': replay.from, 'replay.by': replay.by, 'replay.at': replay.at };
}
