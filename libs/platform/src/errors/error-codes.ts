/**
 * The one registry of the bus's error codes: every `BusError` code (and every
 * dead-letter reason) is declared here once, key equal to value, so a code can be
 * grepped from a client's log straight to its throw sites. Clients switch on these
 * strings: rename one only with a note in the docs. `error-codes.spec.ts` fails on
 * an inline or unregistered code at a throw site, and on a duplicate entry.
 *
 * It lives in platform because platform is the only lib every other lib may import
 * (contracts depends on platform, not the reverse), and because one list shows
 * collisions between contexts that per-lib lists would hide.
 */
export const ErrorCode = {
  // platform: configuration, HTTP edge, shared input rules
  CONFIG_INVALID: 'CONFIG_INVALID',
  DATABASE_NAME_INVALID: 'DATABASE_NAME_INVALID',
  INTERNAL: 'INTERNAL',
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  /** A command, query or request body broke its schema; `fields` says where. */
  REQUEST_INVALID: 'REQUEST_INVALID',

  // platform: the bearer guard (401 / 403 / 503)
  TOKEN_MISSING: 'TOKEN_MISSING',
  TOKEN_INVALID: 'TOKEN_INVALID',
  RIGHT_MISSING: 'RIGHT_MISSING',
  NO_CALLER: 'NO_CALLER',
  OIDC_KEYS_UNAVAILABLE: 'OIDC_KEYS_UNAVAILABLE',

  // contracts: identity, names, sharing policy, wire format
  ID_BIRTH_YEAR_OUT_OF_RANGE: 'ID_BIRTH_YEAR_OUT_OF_RANGE',
  ID_PROVINCE_UNKNOWN: 'ID_PROVINCE_UNKNOWN',
  PERSONAL_ID_INVALID: 'PERSONAL_ID_INVALID',
  PERSONAL_ID_SPACE_EXHAUSTED: 'PERSONAL_ID_SPACE_EXHAUSTED',
  NAME_INVALID: 'NAME_INVALID',
  SHARING_POLICY_INVALID: 'SHARING_POLICY_INVALID',
  WIRE_FORMAT_INVALID: 'WIRE_FORMAT_INVALID',
  SYNC_PROGRESS_INVALID: 'SYNC_PROGRESS_INVALID',
  RECEIPT_INVALID: 'RECEIPT_INVALID',
  FOLLOW_INVALID: 'FOLLOW_INVALID',

  // contracts: schema files, Avro, the registry client
  SCHEMA_FILE_NOT_FOUND: 'SCHEMA_FILE_NOT_FOUND',
  SCHEMA_NOT_JSON: 'SCHEMA_NOT_JSON',
  SCHEMA_VERSION_GAP: 'SCHEMA_VERSION_GAP',
  SCHEMA_VERSION_NOT_FOUND: 'SCHEMA_VERSION_NOT_FOUND',
  SCHEMA_ID_UNKNOWN: 'SCHEMA_ID_UNKNOWN',
  AVRO_ENCODE_FAILED: 'AVRO_ENCODE_FAILED',
  AVRO_DECODE_FAILED: 'AVRO_DECODE_FAILED',
  REGISTRY_UNAVAILABLE: 'REGISTRY_UNAVAILABLE',
  REGISTRY_BAD_RESPONSE: 'REGISTRY_BAD_RESPONSE',
  /** The registry answered 4xx/5xx; its own `error_code` is in `details.errorCode`. */
  REGISTRY_REQUEST_REJECTED: 'REGISTRY_REQUEST_REJECTED',

  // schema-registry (the app's Confluent filter maps each to Confluent's status and number)
  SUBJECT_NOT_FOUND: 'SUBJECT_NOT_FOUND',
  VERSION_NOT_FOUND: 'VERSION_NOT_FOUND',
  SCHEMA_NOT_FOUND: 'SCHEMA_NOT_FOUND',
  SUBJECT_SOFT_DELETED: 'SUBJECT_SOFT_DELETED',
  SUBJECT_NOT_SOFT_DELETED: 'SUBJECT_NOT_SOFT_DELETED',
  VERSION_SOFT_DELETED: 'VERSION_SOFT_DELETED',
  VERSION_NOT_SOFT_DELETED: 'VERSION_NOT_SOFT_DELETED',
  SUBJECT_COMPATIBILITY_NOT_CONFIGURED: 'SUBJECT_COMPATIBILITY_NOT_CONFIGURED',
  SCHEMA_INCOMPATIBLE: 'SCHEMA_INCOMPATIBLE',
  SCHEMA_INVALID: 'SCHEMA_INVALID',
  VERSION_INVALID: 'VERSION_INVALID',
  COMPATIBILITY_LEVEL_INVALID: 'COMPATIBILITY_LEVEL_INVALID',
  REGISTRY_STORE_ERROR: 'REGISTRY_STORE_ERROR',
  /** No HTTP Basic credentials, or ones that do not verify (Confluent: 401). */
  REGISTRY_UNAUTHENTICATED: 'REGISTRY_UNAUTHENTICATED',
  /** A verified user whose role does not allow the operation (Confluent: 403, 40301). */
  REGISTRY_FORBIDDEN: 'REGISTRY_FORBIDDEN',

  // population: HTTP edge
  BODY_INVALID: 'BODY_INVALID',
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  INVALID_HEADERS: 'INVALID_HEADERS',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',

  // population: who may record or read what
  /** An officer recording outside the province of their agency. */
  OUT_OF_JURISDICTION: 'OUT_OF_JURISDICTION',
  /** A citizen reading someone else's record. */
  NOT_OWN_RECORD: 'NOT_OWN_RECORD',

  // population: citizen rules
  CITIZEN_NOT_FOUND: 'CITIZEN_NOT_FOUND',
  CITIZEN_DECEASED: 'CITIZEN_DECEASED',
  CITIZEN_INACTIVE: 'CITIZEN_INACTIVE',
  CITIZEN_ALREADY_MARRIED: 'CITIZEN_ALREADY_MARRIED',
  CITIZEN_NOT_MARRIED: 'CITIZEN_NOT_MARRIED',
  CITIZENS_NOT_SPOUSES: 'CITIZENS_NOT_SPOUSES',
  SAME_CITIZEN: 'SAME_CITIZEN',
  SAME_SEX_MARRIAGE: 'SAME_SEX_MARRIAGE',
  UNDER_MARRIAGE_AGE: 'UNDER_MARRIAGE_AGE',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  INVALID_DATE: 'INVALID_DATE',
  PARENT_INVALID: 'PARENT_INVALID',
  NO_CHANGE: 'NO_CHANGE',
  NOT_DUPLICATES: 'NOT_DUPLICATES',
  CORRECTION_NEEDS_REISSUE: 'CORRECTION_NEEDS_REISSUE',
  /** A reissue whose corrections leave every digit of the number as it is: correct instead. */
  REISSUE_NOT_NEEDED: 'REISSUE_NOT_NEEDED',
  /** The two records of a merge are married to different people. */
  MERGE_SPOUSE_CONFLICT: 'MERGE_SPOUSE_CONFLICT',
  /** The outbox relay only sends keyed messages (the key is the partitioning personal ID). */
  MESSAGE_KEY_MISSING: 'MESSAGE_KEY_MISSING',

  // platform: Kafka client identity (docs/data-plane-security.md)
  /** The broker refused the SASL username and password: fix KAFKA_SASL_PASSWORD, never retried. */
  KAFKA_AUTHENTICATION_FAILED: 'KAFKA_AUTHENTICATION_FAILED',

  // the Kafka loop, sector-sync, sharing, sectors: consuming side (fallbacks are dead-letter reasons)
  KAFKA_TOPIC_NOT_READY: 'KAFKA_TOPIC_NOT_READY',
  INIT_FAILED: 'INIT_FAILED',
  BOOT_FAILED: 'BOOT_FAILED',
  INVALID_ENVELOPE: 'INVALID_ENVELOPE',
  DECODE_FAILED: 'DECODE_FAILED',
  APPLY_FAILED: 'APPLY_FAILED',
  ROUTE_FAILED: 'ROUTE_FAILED',
  SYNC_GROUP_ACTIVE: 'SYNC_GROUP_ACTIVE',
  SYNC_STARTING: 'SYNC_STARTING',
  KEY_MISMATCH: 'KEY_MISMATCH',
  /** The share router could not get a citizen's current state for a follow's fill. */
  FILL_STATE_UNAVAILABLE: 'FILL_STATE_UNAVAILABLE',

  // lag-monitor and ops console
  GROUP_NOT_WATCHED: 'GROUP_NOT_WATCHED',
  TOPIC_READ_TIMEOUT: 'TOPIC_READ_TIMEOUT',
  PUBLISH_UNACKNOWLEDGED: 'PUBLISH_UNACKNOWLEDGED',
  DLQ_TARGET_INVALID: 'DLQ_TARGET_INVALID',
  DEAD_LETTER_NOT_FOUND: 'DEAD_LETTER_NOT_FOUND',
  DEAD_LETTER_ALREADY_REPLAYED: 'DEAD_LETTER_ALREADY_REPLAYED',
  DEAD_LETTER_NO_ORIGIN: 'DEAD_LETTER_NO_ORIGIN',
  DEAD_LETTER_ORIGIN_GONE: 'DEAD_LETTER_ORIGIN_GONE',
  OPERATOR_REQUIRED: 'OPERATOR_REQUIRED',
  EVENT_NOT_FOUND: 'EVENT_NOT_FOUND',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
