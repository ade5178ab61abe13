import { BusError, ErrorCode, TransientError, ValidationError } from '@bus/platform';
import { registryAuthHeaders } from './registry-auth';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

export interface CompatibilityVerdict {
  readonly compatible: boolean;
  /** The registry's reasons (`?verbose=true`); empty when compatible. */
  readonly messages: readonly string[];
}

/** A registry answer with Confluent's `{error_code, message}` body; its number is in `details.errorCode`. */
export class RegistryRequestError extends BusError {
  constructor(
    readonly status: number,
    readonly errorCode: number | undefined,
    message: string,
  ) {
    super(
      ErrorCode.REGISTRY_REQUEST_REJECTED,
      status >= 500 ? 'transient' : status === 404 ? 'not-found' : 'validation',
      message,
      { details: { status, errorCode } },
    );
  }
}

/**
 * The few Confluent REST calls that @kafkajs/confluent-schema-registry does not offer:
 * subject config, registering non-record schemas (the key), and verbose compatibility tests.
 */
export class RegistryHttpClient {
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    await this.request('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
  }

  /**
   * Pins the subject's own level unless it already has it: changing a level is an admin's
   * operation, so a writer (the relay, the router) only needs it where nobody pinned it yet.
   */
  async ensureCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    const own = await this.request<{ compatibilityLevel?: string }>(
      'GET',
      `/config/${encodeURIComponent(subject)}`,
    ).catch((error: unknown) => {
      if (error instanceof RegistryRequestError && error.status === 404) return undefined;
      throw error;
    });
    if (own?.compatibilityLevel !== level) await this.setCompatibility(subject, level);
  }

  /** The level the subject uses (its own, or the global one the registry falls back to). */
  async getCompatibility(subject: string): Promise<CompatibilityLevel | undefined> {
    try {
      const body = await this.request<{ compatibilityLevel?: string; compatibility?: string }>(
        'GET',
        `/config/${encodeURIComponent(subject)}?defaultToGlobal=true`,
      );
      return (body.compatibilityLevel ?? body.compatibility) as CompatibilityLevel | undefined;
    } catch (error) {
      if (error instanceof RegistryRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  async register(subject: string, schema: unknown): Promise<number> {
    const body = await this.request<{ id: number }>(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      { schema: JSON.stringify(schema) },
    );
    return body.id;
  }

  /** Soft then permanent delete; for tests and operators, never for producers. */
  async deleteSubject(subject: string): Promise<void> {
    const path = `/subjects/${encodeURIComponent(subject)}`;
    await this.request('DELETE', path);
    await this.request('DELETE', `${path}?permanent=true`);
  }

  async subjects(): Promise<string[]> {
    return this.request<string[]>('GET', '/subjects');
  }

  /** Live versions of a subject as parsed schemas, oldest first; empty when the subject is unknown. */
  async versions(subject: string): Promise<{ version: number; id: number; schema: unknown }[]> {
    let numbers: number[];
    try {
      numbers = await this.request<number[]>(
        'GET',
        `/subjects/${encodeURIComponent(subject)}/versions`,
      );
    } catch (error) {
      if (error instanceof RegistryRequestError && error.status === 404) return [];
      throw error;
    }
    const result = [];
    for (const version of [...numbers].sort((a, b) => a - b)) {
      const body = await this.request<{ id: number; schema: string }>(
        'GET',
        `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
      );
      result.push({ version, id: body.id, schema: JSON.parse(body.schema) as unknown });
    }
    return result;
  }

  /**
   * Tests a candidate against the versions the subject's level names (all versions for
   * transitive levels). A subject that does not exist yet accepts anything.
   */
  async testCompatibility(subject: string, schema: unknown): Promise<CompatibilityVerdict> {
    try {
      const body = await this.request<{ is_compatible: boolean; messages?: string[] }>(
        'POST',
        `/compatibility/subjects/${encodeURIComponent(subject)}/versions?verbose=true`,
        { schema: JSON.stringify(schema) },
      );
      return { compatible: body.is_compatible, messages: body.messages ?? [] };
    } catch (error) {
      if (error instanceof RegistryRequestError && error.errorCode === 40401) {
        return { compatible: true, messages: [] };
      }
      throw error;
    }
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE, ...registryAuthHeaders() },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (cause) {
      throw new TransientError(
        ErrorCode.REGISTRY_UNAVAILABLE,
        `Schema registry ${this.baseUrl} did not answer`,
        {
          cause,
        },
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text.length === 0 ? undefined : JSON.parse(text);
    } catch (cause) {
      throw new ValidationError(
        ErrorCode.REGISTRY_BAD_RESPONSE,
        `${method} ${path}: not JSON: ${text.slice(0, 200)}`,
        {
          cause,
        },
      );
    }
    if (!response.ok) {
      const error = (parsed ?? {}) as { error_code?: number; message?: string };
      throw new RegistryRequestError(
        response.status,
        error.error_code,
        `${method} ${path} -> ${response.status}${error.error_code ? ` (${error.error_code})` : ''}: ${error.message ?? text}`,
      );
    }
    return parsed as T;
  }
}
