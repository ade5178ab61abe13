import type { DeadLetterList, EventTrailAnswer, GroupView, ReplayRecord } from '@bus/lag-monitor';

/** Plain fixed-width columns: readable in a terminal and greppable in a ticket. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

const seconds = (value: number | null): string =>
  value === null ? '-' : value < 1 ? String(Math.round(value)) : value.toFixed(0);

export function formatGroups(groups: readonly GroupView[]): string {
  return table(
    [
      'GROUP',
      'SECTOR',
      'STATUS',
      'MEMBERS',
      'LAG',
      'LAG_S',
      'BUSINESS_S',
      'TREND',
      'TO_CLEAR_S',
      'DLQ',
      'WHY',
    ],
    groups.map((g) => [
      g.group,
      g.sector ?? '',
      g.status,
      String(g.members),
      String(g.lag),
      seconds(g.lagSeconds),
      seconds(g.businessLagSeconds),
      g.trend.direction,
      g.trend.secondsToClear === null ? 'never' : seconds(g.trend.secondsToClear),
      `${g.deadLetters.total - g.deadLetters.replayed}/${g.deadLetters.total}`,
      g.reason,
    ]),
  );
}

export function formatDeadLetters(list: DeadLetterList): string {
  const header = `${list.topic}: ${list.total} letter(s), newest ${list.letters.length} shown${list.letters[0]?.masked === false ? ' UNMASKED' : ''}\n`;
  return (
    header +
    table(
      ['LETTER', 'FAILED_AT', 'KEY', 'REASON', 'FROM', 'PAYLOAD', 'REPLAYED'],
      list.letters.map((l) => [
        `${l.partition}/${l.offset}`,
        l.failedAt ?? l.timestamp,
        l.key ?? '-',
        l.reason,
        l.originalTopic
          ? `${l.originalTopic}/${l.originalPartition ?? '?'}/${l.originalOffset ?? '?'}`
          : '-',
        payloadSummary(l.payload),
        l.replays.map((r) => `${r.replayedAt} by ${r.replayedBy}`).join('; ') || 'never',
      ]),
    )
  );
}

function payloadSummary(payload: DeadLetterList['letters'][number]['payload']): string {
  switch (payload.format) {
    case 'avro':
      return `avro#${payload.schemaId} ${JSON.stringify(payload.data)}`;
    case 'json':
      return `json ${JSON.stringify(payload.data)}`;
    case 'text':
      return `text ${JSON.stringify(payload.text)}`;
    case 'binary':
      return `${payload.length} bytes ${payload.hex}${payload.error ? ` (${payload.error})` : ''}`;
    default:
      return 'empty';
  }
}

export function formatReplays(records: readonly ReplayRecord[]): string {
  return table(
    ['ID', 'LETTER', 'TO', 'KEY', 'REASON', 'BY', 'AT', 'FORCED'],
    records.map((r) => [
      String(r.id),
      `${r.dltTopic}/${r.dltPartition}/${r.dltOffset}`,
      `${r.targetTopic}/${r.targetPartition ?? '?'}/${r.targetOffset ?? '?'}`,
      r.keyMasked ?? '-',
      r.reason,
      r.replayedBy,
      r.replayedAt,
      r.forced ? 'yes' : '',
    ]),
  );
}

/** `npm run ops -- where <id>`: one block of hops per event. */
export function formatTrail(answer: EventTrailAnswer): string {
  return answer.events
    .map((e) => {
      const published = e.relay
        ? `outbox relay dead-lettered it: ${e.relay.reason}: ${e.relay.message}`
        : e.published
          ? `published ${e.published.at} ${e.published.topic} partition ${e.published.partition ?? '?'} offset ${e.published.offset ?? '?'}`
          : 'waiting in the outbox (not published yet)';
      const lines = [
        `${e.eventId} ${e.eventType} v${e.version} citizen ${e.personalId}`,
        `  committed ${e.committed.at} (occurred ${e.committed.occurredAt})`,
        `  ${published}`,
        ...(e.router
          ? [`  share router dead-lettered it: ${e.router.reason}: ${e.router.message}`]
          : []),
        ...e.sectors.map((h) => `  ${h.sector.padEnd(5)} ${h.detail}`),
        `  trace ${e.trace ? e.trace.url : '(not traced)'}`,
      ];
      return lines.join('\n') + '\n';
    })
    .join('\n');
}
