import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import {
  createOpsRuntime,
  loadLagMonitorConfig,
  type GroupView,
  type OpsRuntime,
} from '@bus/lag-monitor';
import { describeError, ErrorCode, isBusError, loadAuthConfig } from '@bus/platform';
import { formatDeadLetters, formatGroups, formatReplays, formatTrail } from './cli-format';

const USAGE = `npm run ops -- <command>

  lag [--samples N] [--json]                     lag of the watched groups: from the running
                                                 console (OPS_CONSOLE_URL, with a client-credentials
                                                 token of OPS_CLI_CLIENT_ID / OPS_CLI_CLIENT_SECRET),
                                                 else N polls of Kafka
  dlq list <sector|group> [--limit N] [--reveal] [--json]
  dlq replay <sector|group> <partition> <offset> [--force]
  dlq replay <sector|group> --all
  dlq history <sector|group>
  where <event-id|personal-id> [--json]          the hops of an event (or a citizen's latest
                                                 events): committed, published, routed or
                                                 withheld, applied / waiting / dead-lettered

  --by NAME   who you are, for the audit (default: $OPS_USER or your login)
`;

const out = (text: string) => process.stdout.write(text);

/** The CLI's own token (client-credentials grant of the `ops-cli` client), when configured. */
async function cliToken(): Promise<Record<string, string>> {
  const secret = process.env.OPS_CLI_CLIENT_SECRET;
  if (!secret) return {};
  const issuer = loadAuthConfig('ops-console').issuer;
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: process.env.OPS_CLI_CLIENT_ID ?? 'ops-cli',
      client_secret: secret,
    }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { access_token?: string };
  return body.access_token ? { authorization: `Bearer ${body.access_token}` } : {};
}

async function consoleGroups(url: string): Promise<GroupView[] | undefined> {
  try {
    const response = await fetch(`${url}/api/groups`, {
      headers: await cliToken(),
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return undefined;
    return ((await response.json()) as { groups: GroupView[] }).groups;
  } catch {
    return undefined;
  }
}

async function withRuntime<T>(work: (runtime: OpsRuntime) => Promise<T>): Promise<T> {
  const runtime = await createOpsRuntime(loadLagMonitorConfig(), undefined, {
    defaultMetrics: false,
  });
  try {
    return await work(runtime);
  } finally {
    await runtime.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      samples: { type: 'string', default: '3' },
      limit: { type: 'string' },
      reveal: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      by: { type: 'string', default: process.env.OPS_USER ?? userInfo().username },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub, target, partition, offset] = positionals;
  const print = (value: unknown, text: () => string) =>
    out(values.json ? `${JSON.stringify(value, null, 2)}\n` : text());

  if (values.help || !command) {
    out(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'lag') {
    const url = process.env.OPS_CONSOLE_URL ?? 'http://127.0.0.1:3001';
    const live = await consoleGroups(url);
    if (live) {
      print(live, () => `from ${url}\n${formatGroups(live)}`);
      return 0;
    }
    const samples = Math.max(2, Number(values.samples) || 3);
    const groups = await withRuntime(async (runtime) => {
      for (let i = 0; i < samples; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 1_000));
        await runtime.monitor.pollOnce();
      }
      return runtime.monitor.groups();
    });
    print(
      groups,
      () =>
        `from Kafka, ${samples} polls 1 s apart (statuses need the console's longer window)\n${formatGroups(groups)}`,
    );
    return 0;
  }
  if (command === 'where' && sub) {
    const answer = await withRuntime(({ trail }) => trail.find(sub));
    print(answer, () => formatTrail(answer));
    return 0;
  }
  if (command === 'dlq' && target) {
    return withRuntime(async ({ deadLetters }) => {
      if (sub === 'list') {
        const list = await deadLetters.list(target, {
          ...(values.limit ? { limit: Number(values.limit) } : {}),
          reveal: values.reveal,
          by: values.by,
        });
        print(list, () => formatDeadLetters(list));
        return 0;
      }
      if (sub === 'replay' && values.all) {
        const outcome = await deadLetters.replayAll(target, values.by);
        print(
          outcome,
          () =>
            `replayed ${outcome.replayed.length}, skipped ${outcome.skipped.length}\n${formatReplays(outcome.replayed)}${outcome.skipped.map((s) => `skipped ${s.partition}/${s.offset}: ${s.code} ${s.reason}\n`).join('')}`,
        );
        return outcome.skipped.some((s) => s.code !== ErrorCode.DEAD_LETTER_ALREADY_REPLAYED)
          ? 1
          : 0;
      }
      if (sub === 'replay' && partition !== undefined && offset !== undefined) {
        const record = await deadLetters.replayOne(
          target,
          Number(partition),
          Number(offset),
          values.by,
          values.force,
        );
        print(record, () => formatReplays([record]));
        return 0;
      }
      if (sub === 'history') {
        const records = await deadLetters.history(target);
        print(records, () => formatReplays(records));
        return 0;
      }
      out(USAGE);
      return 2;
    });
  }
  out(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${isBusError(error) ? '' : 'ERROR: '}${describeError(error)}\n`);
    process.exit(1);
  },
);
