import { randomUUID } from 'node:crypto';
import { StackError } from '../stack-error.ts';
import type { Instance } from './fleet.ts';
import type { TokenSource } from '../oidc-tokens.ts';

/**
 * The campaign's writers: real HTTP commands to the national API with a registrar's token,
 * open loop (a command is sent when it is due, whatever the previous ones are doing), each
 * with an Idempotency-Key so that a command whose instance died is retried on another
 * instance without being recorded twice.
 */
const COMMUNES = ['00070', '00082', '00004', '00008'];
const STREETS = ['Tràng Tiền', 'Lý Thái Tổ', 'Hàng Bài', 'Tràng Thi', 'Đinh Tiên Hoàng'];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Lan', 'Minh', 'Nam', 'Thu', 'Vân'];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const fullName = () => `${pick(FAMILY)} ${pick(['Văn', 'Thị', 'Đức', 'Ngọc'])} ${pick(GIVEN)}`;

export interface LoadCounters {
  sent: number;
  ok: number;
  /** Refused for a business reason (4xx): nothing recorded, not an error of the bus. */
  rejected: number;
  /** Retried on another instance after a connection error or a 5xx. */
  retried: number;
  /** Gave up after every retry (the change may or may not have been recorded). */
  failed: number;
  /** Not sent because too many commands were already in flight (the open loop's cap). */
  shed: number;
  inFlight: number;
}

type Command = { method: string; path: string; body: unknown };

export class LoadGenerator {
  readonly counters: LoadCounters = {
    sent: 0,
    ok: 0,
    rejected: 0,
    retried: 0,
    failed: 0,
    shed: 0,
    inFlight: 0,
  };
  readonly citizens: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private seq = 0;
  private readonly pending = new Set<Promise<void>>();

  private readonly targets: () => Instance[];
  private readonly token: TokenSource;
  private readonly maxInFlight: number;

  constructor(targets: () => Instance[], token: TokenSource, maxInFlight = 32) {
    this.targets = targets;
    this.token = token;
    this.maxInFlight = maxInFlight;
  }

  /** Sends one command, trying the instances in turn for up to `budgetMs`. */
  async send(command: Command, budgetMs = 90_000): Promise<unknown> {
    const key = randomUUID();
    const deadline = Date.now() + budgetMs;
    for (let attempt = 0; ; attempt++) {
      const instances = this.targets().filter((i) => i.running);
      const instance = instances[(this.next++ + attempt) % Math.max(instances.length, 1)];
      try {
        if (!instance) throw new StackError('no national instance running');
        const response = await fetch(`${instance.apiUrl}${command.path}`, {
          method: command.method,
          headers: {
            authorization: `Bearer ${await this.token.get()}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(command.body),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json().catch(() => ({}))) as unknown;
        if (response.ok) return body;
        if (response.status < 500) return { rejected: response.status, body };
        throw new StackError(`HTTP ${response.status}`);
      } catch {
        if (Date.now() > deadline) throw new StackError('command not accepted in time');
        this.counters.retried++;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async birth(): Promise<string | undefined> {
    const result = (await this.send({
      method: 'POST',
      path: '/citizens/births',
      body: {
        child: {
          fullName: fullName(),
          gender: pick(['MALE', 'FEMALE']),
          dateOfBirth: `19${String(60 + Math.floor(Math.random() * 39))}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`,
        },
        registrationCommuneCode: '00070',
        permanentResidence: { communeCode: pick(COMMUNES), address: `1 ${pick(STREETS)}` },
      },
    })) as { personalId?: string };
    if (result.personalId) this.citizens.push(result.personalId);
    return result.personalId;
  }

  private change(): Command {
    const roll = Math.random();
    if (roll < 0.05 || this.citizens.length === 0) {
      return { method: 'BIRTH', path: '', body: null };
    }
    const id = pick(this.citizens);
    const address = `${++this.seq} ${pick(STREETS)}`;
    if (roll < 0.4) {
      return {
        method: 'PUT',
        path: `/citizens/${id}/permanent-residence`,
        body: { communeCode: pick(COMMUNES), address, since: '2025-08-01' },
      };
    }
    if (roll < 0.7) {
      return {
        method: 'PUT',
        path: `/citizens/${id}/temporary-residence`,
        body: { communeCode: pick(COMMUNES), address, since: '2025-08-01' },
      };
    }
    return { method: 'POST', path: `/citizens/${id}/name`, body: { fullName: fullName() } };
  }

  private fire(): void {
    if (this.counters.inFlight >= this.maxInFlight) {
      this.counters.shed++;
      return;
    }
    const command = this.change();
    this.counters.sent++;
    this.counters.inFlight++;
    const done = (command.method === 'BIRTH' ? this.birth() : this.send(command)).then(
      (result) => {
        if ((result as { rejected?: number } | undefined)?.rejected) this.counters.rejected++;
        else this.counters.ok++;
      },
      () => {
        this.counters.failed++;
      },
    );
    const tracked = done.finally(() => {
      this.counters.inFlight--;
      this.pending.delete(tracked);
    });
    this.pending.add(tracked);
  }

  /** Starts the open loop at `rate` commands per second. */
  start(rate: number): void {
    const started = performance.now();
    let fired = 0;
    const tick = () => {
      const due = Math.floor(((performance.now() - started) * rate) / 1000);
      while (fired < due) {
        fired++;
        this.fire();
      }
    };
    this.timer = setInterval(tick, 20);
  }

  /** Stops scheduling and waits for the commands in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.pending]);
  }
}
