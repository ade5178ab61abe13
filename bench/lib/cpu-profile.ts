import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile (as written by `node --cpu-prof`) that the summary needs. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { functionName: string; url: string; lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileRow {
  readonly name: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly wallMs: number;
  /** Sampled time not in (idle) or (program)/(garbage collector): what the process burnt. */
  readonly busyMs: number;
  readonly topFunctions: readonly ProfileRow[];
  /** Self time grouped by where the code lives: a package, one of our libs, node internals. */
  readonly byOwner: readonly ProfileRow[];
}

/** Where a frame's code lives: `kafkajs`, `@bus/sector-sync`, `node:internal`, `(gc)`... */
export function ownerOf(url: string, functionName: string): string {
  if (url === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const lib = /\/(libs|apps)\/([^/]+)\//.exec(url);
  if (lib) return lib[1] === 'libs' ? `@bus/${lib[2]}` : `apps/${lib[2]}`;
  if (url.startsWith('node:'))
    return url.split('/')[0]!.replace(/^node:internal.*/, 'node:internal');
  return url.replace(/^.*\//, '');
}

function top(map: Map<string, number>, total: number, limit: number): ProfileRow[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, micros]) => ({
      name,
      selfMs: Math.round(micros / 1000),
      percent: Number(((100 * micros) / Math.max(1, total)).toFixed(1)),
    }));
}

/** Self time per function and per owner, from the samples (each sample's delta goes to its leaf). */
export function summariseProfile(profile: CpuProfile, limit = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const functions = new Map<string, number>();
  const owners = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfByNode) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') continue;
    busy += micros;
    const file = frame.url.replace(/^.*\/(node_modules|libs|apps|dist)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const owner = ownerOf(frame.url, frame.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
  }
  return {
    wallMs: Math.round((profile.endTime - profile.startTime) / 1000),
    busyMs: Math.round(busy / 1000),
    topFunctions: top(functions, busy, limit),
    byOwner: top(owners, busy, limit),
  };
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}
