import type { VersionedSchema } from '../../domain/contract-checks/avro-compatibility';
import type { ContractSet } from '../../domain/contract-checks/contract-checks';
import {
  check,
  type CheckResult,
  type Violation,
} from '../../domain/contract-checks/contract-report';
import {
  keySubject,
  MASTER_TOPIC,
  SECTORS,
  SHARED_TOPIC_COMPATIBILITY,
  shareTopic,
  valueSubject,
} from '../../domain/topics';
import { RegistryHttpClient } from './registry-http.client';

/**
 * Asks a live registry, through `/compatibility/...?verbose=true`, whether the repo's latest
 * schema of each subject would be accepted, and whether the subject uses the agreed level.
 */
export async function checkRegistry(
  set: ContractSet,
  registryUrl: string,
  topicOf: (topic: string) => string = (topic) => topic,
): Promise<CheckResult[]> {
  const http = new RegistryHttpClient(registryUrl);
  const registered = new Set(await http.subjects());
  const subjects: [string, unknown][] = [
    [valueSubject(topicOf(MASTER_TOPIC)), set.master.at(-1)!.schema],
    [keySubject(topicOf(MASTER_TOPIC)), set.key.at(-1)!.schema],
    ...SECTORS.map(
      (s) =>
        [valueSubject(topicOf(shareTopic(s))), set.projections[s].at(-1)!.schema] as [
          string,
          unknown,
        ],
    ),
  ];
  const results: CheckResult[] = [];
  for (const [subject, schema] of subjects) {
    if (!registered.has(subject)) {
      results.push(check(`${registryUrl} ${subject}`, [], ['not registered yet']));
      continue;
    }
    const violations: Violation[] = [];
    const level = await http.getCompatibility(subject);
    if (level !== SHARED_TOPIC_COMPATIBILITY) {
      violations.push({
        rule: 'registry-level',
        subject,
        message: `the registry uses ${level ?? 'no level'}; shared topics must be ${SHARED_TOPIC_COMPATIBILITY}`,
      });
    }
    const verdict = await http.testCompatibility(subject, schema);
    if (!verdict.compatible) {
      const reasons = verdict.messages.length > 0 ? verdict.messages : ['(no reason given)'];
      for (const message of reasons) {
        violations.push({
          rule: 'registry-compatibility',
          subject,
          message: `the registry rejects the repo's latest schema: ${message}`,
        });
      }
    }
    results.push(
      check(`${registryUrl} ${subject}: the repo's latest schema is accepted`, violations),
    );
  }
  return results;
}

/** A topic's writer versions as registered (oldest first). */
export async function registryWriters(
  registryUrl: string,
  topic: string,
): Promise<VersionedSchema[]> {
  const versions = await new RegistryHttpClient(registryUrl).versions(valueSubject(topic));
  return versions.map(({ version, schema }) => ({ version, schema }));
}
