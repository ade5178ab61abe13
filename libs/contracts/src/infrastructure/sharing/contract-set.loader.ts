import type { ContractSet } from '../../domain/contract-checks/contract-checks';
import { SECTORS, type Sector } from '../../domain/topics';
import type { VersionedSchema } from '../../domain/contract-checks/avro-compatibility';
import {
  CITIZEN_CHANGED_KEY_SCHEMA_NAME,
  CITIZEN_CHANGED_SCHEMA_NAME,
  loadSchemaVersions,
  SCHEMAS_DIR,
} from '../schemas/schema-files';
import { loadSharingPolicy, projectionSchemaName } from './shipped-policy';

/** Reads every published schema version and the policy from a schemas/ folder. */
export function loadContractSet(dir: string = SCHEMAS_DIR): ContractSet {
  const projections = {} as Record<Sector, readonly VersionedSchema[]>;
  for (const sector of SECTORS) {
    projections[sector] = loadSchemaVersions(projectionSchemaName(sector), dir);
  }
  return {
    master: loadSchemaVersions(CITIZEN_CHANGED_SCHEMA_NAME, dir),
    key: loadSchemaVersions(CITIZEN_CHANGED_KEY_SCHEMA_NAME, dir),
    projections,
    policy: loadSharingPolicy(dir),
  };
}
