import type { CitizenChanged } from '../../domain/events/citizen-changed.event';
import { MASTER_TOPIC } from '../../domain/topics';
import { citizenChangedKeySchema, citizenChangedSchema } from '../schemas/schema-files';
import { AvroDeserializer, AvroSerializer } from './avro-serdes';

/**
 * Producer of the master topic: registers `population.citizen-changed-value` (latest
 * shipped CitizenChanged) and `-key` under FULL_TRANSITIVE.
 */
export function startCitizenChangedSerializer(
  registryUrl: string,
  topic: string = MASTER_TOPIC,
): Promise<AvroSerializer<CitizenChanged>> {
  return AvroSerializer.start<CitizenChanged>({
    registryUrl,
    topic,
    schema: citizenChangedSchema(),
    keySchema: citizenChangedKeySchema(),
  });
}

/** Consumer of the master topic, reading every writer version as the given (default: latest) version. */
export function citizenChangedDeserializer(
  registryUrl: string,
  readerSchema: unknown = citizenChangedSchema(),
): AvroDeserializer<CitizenChanged> {
  return new AvroDeserializer<CitizenChanged>({ registryUrl, readerSchema });
}
